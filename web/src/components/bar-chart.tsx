/**
 * A horizontal bar chart drawn with plain elements: each bar's label and number are text, so the figures read the same
 * without the bars (to a screen reader, on a narrow screen, when printed). A banded count draws its lower end solid
 * and the rest of its band lighter.
 */
import { Text, Title } from '@mantine/core';
import { useId } from 'react';
import { useFormat } from '../format';

/** A published count: exact, a band, or null when withheld (drawn as no bar, its number as "—"). */
export type Count = number | { readonly min: number; readonly max: number } | null;

export interface Bar {
  readonly key: string;
  readonly label: string;
  readonly value: Count;
}

const upper = (value: Count) => (value === null ? 0 : typeof value === 'number' ? value : value.max);
const lower = (value: Count) => (value === null ? 0 : typeof value === 'number' ? value : value.min);

export function BarChart({ title, bars, note }: { title: string; bars: readonly Bar[]; note?: string }) {
  const format = useFormat();
  const id = useId();
  const scale = Math.max(1, ...bars.map((bar) => upper(bar.value)));
  const width = (value: number) => `${(value / scale) * 100}%`;
  return (
    <figure className="bar-chart" aria-labelledby={id}>
      <figcaption id={id}>
        <Title order={3} size="h5">
          {title}
        </Title>
      </figcaption>
      <ul className="bar-list">
        {bars.map((bar) => (
          <li key={bar.key} className="bar-row">
            <span className="bar-label">{bar.label}</span>
            <span className="bar-track" aria-hidden>
              {bar.value !== null && typeof bar.value !== 'number' && (
                <span className="bar bar-band" style={{ width: width(bar.value.max) }} />
              )}
              <span className="bar" style={{ width: width(lower(bar.value)) }} />
            </span>
            <span className="bar-value">{format.count(bar.value)}</span>
          </li>
        ))}
      </ul>
      {note && (
        <Text size="xs" c="dimmed" mt={4}>
          {note}
        </Text>
      )}
    </figure>
  );
}
