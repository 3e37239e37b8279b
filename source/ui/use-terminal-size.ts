import {useEffect, useState} from 'react';
import {useStdout} from 'ink';

function sizeOf(stdout: NodeJS.WriteStream): {columns: number; rows: number} {
	return {columns: stdout.columns || 80, rows: stdout.rows || 24};
}

/** The terminal's size, updated when it is resized (80x24 when the output is not a terminal). */
export function useTerminalSize(): {columns: number; rows: number} {
	const {stdout} = useStdout();
	const [size, setSize] = useState(() => sizeOf(stdout));
	useEffect(() => {
		let {columns} = sizeOf(stdout);
		// A narrower terminal re-wraps the old frame, so Ink cannot erase it line
		// by line: clear the screen first (Ink then draws the whole frame anew).
		const clear = () => {
			if (sizeOf(stdout).columns < columns) {
				stdout.write('\u001B[2J\u001B[H');
			}

			columns = sizeOf(stdout).columns;
		};

		const onResize = () => {
			setSize(sizeOf(stdout));
		};

		stdout.prependListener('resize', clear);
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', clear);
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return size;
}
