import React from 'react';
import {Text} from 'ink';
import {labelColor} from './colors.js';
import type {Segment} from './span-text.js';

/** A text's segments, wrapped, with each span bracketed with its label and coloured (inverse without colour). */
export function SpanSegments({segments, labels, hasColor}: {readonly segments: readonly Segment[]; readonly labels: readonly string[]; readonly hasColor: boolean}) {
	return (
		<Text wrap='wrap'>
			{segments.map((segment, index) => segment.label === undefined
				// eslint-disable-next-line react/no-array-index-key -- segments have no identity but their place
				? <Text key={index}>{segment.text}</Text>
				// eslint-disable-next-line react/no-array-index-key -- as above
				: <Text key={index} bold inverse={!hasColor} {...(hasColor ? {backgroundColor: labelColor(segment.label, labels), color: 'black'} : {})}>[{segment.text} {segment.label}]</Text>)}
		</Text>
	);
}
