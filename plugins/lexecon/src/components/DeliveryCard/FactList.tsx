import { Link } from '@backstage/core-components';
import { DeliveryFactRef } from '@internal/plugin-lexecon-common';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';

/** "Show the N facts" and, opened, each fact with its link upstream. */
export function FactList(props: {
  label: string;
  factIds: string[];
  facts: Record<string, DeliveryFactRef>;
  /** What to say under a fact, by id (why a deploy counts as a failure). */
  notes?: Record<string, string>;
}) {
  const { label, factIds, facts, notes } = props;
  const [open, setOpen] = useState(false);
  // Facts with a note (the failures behind a rate) first, so they are not lost among the rest.
  const refs = factIds
    .flatMap(id => (facts[id] ? [facts[id]] : []))
    .sort((a, b) => Number(!notes?.[a.id]) - Number(!notes?.[b.id]));
  const noun = refs.length === 1 ? 'fact' : 'facts';
  if (!refs.length) return null;
  return (
    <>
      <Button
        size="small"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        // The visible words first, so speech input can use them (WCAG 2.5.3).
        aria-label={`${open ? 'Hide' : 'Show'} ${
          refs.length
        } ${noun} behind ${label}`}
      >
        {open ? 'Hide' : 'Show'} {refs.length} {noun}
      </Button>
      {open && (
        <ul data-testid="delivery-facts" aria-label={`Facts behind ${label}`}>
          {refs.map(ref => (
            <li key={ref.id}>
              <Typography variant="body2" component="span">
                {ref.at.slice(0, 16).replace('T', ' ')} UTC{' '}
                {ref.url ? <Link to={ref.url}>{ref.title}</Link> : ref.title}
                {ref.detail ? ` (${ref.detail})` : ''}
              </Typography>
              {notes?.[ref.id] && (
                <Typography
                  variant="body2"
                  data-testid="delivery-fact-note"
                  style={{ fontWeight: 600 }}
                >
                  {notes[ref.id]}
                </Typography>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
