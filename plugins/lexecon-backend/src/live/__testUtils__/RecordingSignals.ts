import { SignalPayload, SignalsService } from '@backstage/plugin-signals-node';
import { JsonObject } from '@backstage/types';

/** A signals service for tests: keeps what was published, in order. */
export class RecordingSignals implements SignalsService {
  readonly published: SignalPayload[] = [];

  async publish<TMessage extends JsonObject = JsonObject>(
    signal: SignalPayload<TMessage>,
  ): Promise<void> {
    this.published.push(signal);
  }

  /** The messages published on `channel`. */
  on(channel: string): JsonObject[] {
    return this.published
      .filter(s => s.channel === channel)
      .map(s => s.message);
  }
}
