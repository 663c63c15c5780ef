import { useState } from 'react';
import { Box, Text } from 'ink';
import { digitIndex, useKeypress } from '../hooks/useKeypress';

export interface MenuItem<V extends string = string> {
  value: V;
  label: string;
}

/** A numbered menu: ↑/↓ then Enter, or the item's digit straight away. */
export function Menu<V extends string>({ items, onSelect, isActive = true, initialIndex = 0 }: { items: MenuItem<V>[]; onSelect: (value: V) => void; isActive?: boolean; initialIndex?: number }) {
  const [selected, setSelected] = useState(initialIndex);
  useKeypress(
    (event) => {
      const { key } = event;
      if (key.upArrow) {
        setSelected((i) => (i - 1 + items.length) % items.length);
        return true;
      }
      if (key.downArrow) {
        setSelected((i) => (i + 1) % items.length);
        return true;
      }
      if (key.return) {
        const item = items[selected];
        if (item) onSelect(item.value);
        return true;
      }
      const digit = digitIndex(event);
      const item = items[digit];
      if (item) {
        setSelected(digit);
        onSelect(item.value);
        return true;
      }
      return false;
    },
    { isActive },
  );
  return (
    <Box flexDirection="column">
      {items.map((item, i) => (
        <Text key={item.value} color={i === selected ? 'cyan' : undefined} bold={i === selected}>
          {i === selected ? '❯ ' : '  '}
          {i + 1}. {item.label}
        </Text>
      ))}
    </Box>
  );
}
