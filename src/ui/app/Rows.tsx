/** A screen of prebuilt rows laid out by Ink: one <Text> per row, each re-rendered only when its text changes. */
import { Box, Text } from 'ink';
import { memo } from 'react';

const Row = memo(function Row({ text }: { text: string }) {
  return <Text wrap="truncate">{text}</Text>;
});

/** The rows, `cols` wide, at most `height` tall (the root stays within the terminal's rows). */
export function Rows({ lines, cols, height }: { lines: readonly string[]; cols: number; height: number }) {
  return (
    <Box flexDirection="column" width={cols} height={Math.min(height, Math.max(1, lines.length))} overflow="hidden">
      {lines.map((l, i) => (
        <Row key={i} text={l} />
      ))}
    </Box>
  );
}
