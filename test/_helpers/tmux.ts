import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import {poll} from './until.js';

let sessions = 0;

/** Each look at a tmux screen starts a process: looked at every 25 ms, not every few. */
const tmuxPollMs = 25;

/**
 * A command running in a pseudo-terminal of its own tmux server (a private
 * socket, so no other tmux is touched). Ended by its own pids.
 */
export class Terminal {
	/** Start `command` (argv) in a `width` x `height` terminal, with `environment` added. */
	static start(command: readonly string[], options: {environment?: Record<string, string>; width?: number; height?: number; cwd?: string} = {}): Terminal {
		try {
			execFileSync('tmux', ['-V']);
		} catch {
			throw new Error('The end-to-end tests need tmux: install it (apt-get install tmux); .ci/run does.');
		}

		const socket = `inkling-test-${process.pid}-${++sessions}`;
		const quote = (word: string) => `'${word.replaceAll('\'', String.raw`'\''`)}'`;
		// CI set, as `.ci/run` has it, wherever the tests run: a screen that would draw only its last frame there fails here too.
		const environment = Object.entries({CI: 'true', ...options.environment}).map(([key, value]) => `${key}=${quote(value)}`).join(' ');
		// `exec`, so the pane's process is the command itself and its pid is the one to signal.
		const line = `exec env ${environment} ${command.map(word => quote(word)).join(' ')}`;
		execFileSync('tmux', ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', String(options.width ?? 100), '-y', String(options.height ?? 30), '-c', options.cwd ?? process.cwd(), line]);
		execFileSync('tmux', ['-L', socket, 'set-option', '-t', 'main', 'remain-on-exit', 'on']);
		return new Terminal(socket);
	}

	readonly socket: string;
	readonly pid: number;
	readonly serverPid: number;

	private constructor(socket: string) {
		this.socket = socket;
		this.pid = Number(this.#tmux('display-message', '-p', '-t', 'main', '#{pane_pid}').trim());
		this.serverPid = Number(this.#tmux('display-message', '-p', '-t', 'main', '#{pid}').trim());
	}

	#tmux(...args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8'});
	}

	/** Everything the program writes to the terminal from now on, raw, goes to `file`. */
	record(file: string): void {
		this.#tmux('pipe-pane', '-o', '-t', 'main', `cat >> '${file}'`);
	}

	/** What the screen shows now. */
	screen(): string {
		return this.#tmux('capture-pane', '-p', '-t', 'main');
	}

	/** What the screen shows now and what scrolled off its top (tmux scrolls the pane when it marks it dead). */
	transcript(): string {
		return this.#tmux('capture-pane', '-p', '-S', '-', '-t', 'main');
	}

	/** Send keys as tmux names them: 'a', 'Space', 'BSpace', 'q'. */
	keys(...keys: string[]): void {
		this.#tmux('send-keys', '-t', 'main', ...keys);
	}

	/** Whether the command has exited (the pane stays, dead, to be read). */
	exited(): boolean {
		return this.#tmux('display-message', '-p', '-t', 'main', '#{pane_dead}').trim() === '1';
	}

	/** Wait until the screen matches, or fail with what it shows. */
	async waitFor(pattern: RegExp, timeout = 60_000): Promise<string> {
		let screen = '';
		await poll(() => {
			screen = this.screen();
			return pattern.test(screen);
		}, timeout, () => `The screen did not show ${String(pattern)} in ${timeout} ms; it shows:\n${screen}`, tmuxPollMs);
		return screen;
	}

	async waitForExit(timeout = 30_000): Promise<void> {
		await poll(() => this.exited(), timeout, () => `The command did not exit in ${timeout} ms; the screen shows:\n${this.screen()}`, tmuxPollMs);
	}

	/**
	 * A real hangup, as when an SSH connection drops: the session and its
	 * pseudo-terminal go away, and the command gets SIGHUP with its terminal
	 * gone. Then wait (by its pid) until the command has exited.
	 */
	async hangUp(timeout = 30_000): Promise<void> {
		this.#tmux('kill-session', '-t', 'main');
		await poll(() => {
			try {
				process.kill(this.pid, 0);
				return false;
			} catch {
				return true;
			}
		}, timeout, () => `The command (pid ${this.pid}) did not exit in ${timeout} ms after the hangup`, tmuxPollMs);
	}

	/** End the command and this tmux server, by their pids. */
	close(): void {
		for (const pid of [this.pid, this.serverPid]) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				// Already gone
			}
		}

		fs.rmSync(`/tmp/tmux-${process.getuid?.() ?? 0}/${this.socket}`, {force: true});
	}
}
