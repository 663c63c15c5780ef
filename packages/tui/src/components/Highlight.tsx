import { Text } from 'ink';
import { matchSegments, type Segment } from '../lib/highlight';

/** Recent results: a keystroke re-renders the same visible rows, mostly for the same query. */
const cache = new Map<string, Segment[]>();
const CACHE_MAX = 2000;

function segmentsOf(text: string, words: readonly string[]): Segment[] {
  const key = `${words.join(' ')}\u0000${text}`;
  let found = cache.get(key);
  if (!found) {
    if (cache.size >= CACHE_MAX) cache.clear();
    found = matchSegments(text, words);
    cache.set(key, found);
  }
  return found;
}

/** `text` with what the filter's words match shown in yellow and underlined. */
export function Highlight({ text, words, bold = false, dim = false }: { text: string; words: readonly string[]; bold?: boolean; dim?: boolean }) {
  if (words.length === 0) {
    return (
      <Text bold={bold} dimColor={dim}>
        {text}
      </Text>
    );
  }
  return (
    <Text bold={bold} dimColor={dim}>
      {segmentsOf(text, words).map((s, i) =>
        s.match ? (
          <Text key={i} color="yellow" underline>
            {s.text}
          </Text>
        ) : (
          s.text
        ),
      )}
    </Text>
  );
}
