/** Background colours per label, from the 16 every terminal has. Colour is never the only signal: spans are bracketed too. */
export const labelColors = ['cyan', 'yellow', 'green', 'magenta', 'blue', 'red', 'white'] as const;

/** The colour of a label, by its place in the list of labels. */
export function labelColor(label: string, labels: readonly string[]): typeof labelColors[number] {
	return labelColors[Math.max(0, labels.indexOf(label)) % labelColors.length]!;
}
