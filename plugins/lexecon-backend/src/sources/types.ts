import {
  missingAnnotationMessage,
  sourceDeclaration,
  SourceId,
} from '@internal/plugin-lexecon-common';
import { EntityTarget } from '../EntityTarget';

/**
 * One upstream system the plugin reads. Each source turns an entity's annotations into a
 * JSON-serialisable snapshot; adding another provider is a new implementation of this interface.
 */
export interface SnapshotSource<T> {
  readonly id: SourceId;
  /**
   * Fetched by its schedule (or a manual refresh) only: a page view never starts its first
   * fetch, as each upstream request is billed.
   */
  readonly scheduledOnly?: boolean;
  /** What is missing (annotation or config) for this entity, or undefined when configured. */
  notConfiguredReason(target: EntityTarget): NotConfigured | undefined;
  /** Fetches a fresh snapshot; `previous` lets a source skip immutable data it already has. */
  fetch(target: EntityTarget, previous?: T): Promise<T>;
}

export interface NotConfigured {
  message: string;
  /** Catalog annotations to add; empty when the missing piece is backend config. */
  missingAnnotations: string[];
}

/** An upstream failure with a message a person can act on. */
export class UpstreamError extends Error {
  constructor(
    readonly source: SourceId,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

/** The entity lacks the source's annotation: the declared message, naming what to add. */
export function annotationMissing(id: SourceId): NotConfigured {
  return {
    message: missingAnnotationMessage(id),
    missingAnnotations: [...sourceDeclaration(id).requiredAnyOf],
  };
}
