import net from 'node:net';

/** A TCP relay to the server that can go away (connections cut, new ones refused) and come back on the same port. */
export async function relay(target: URL): Promise<{port: number; cut: () => Promise<void>; restore: () => Promise<void>; close: () => Promise<void>}> {
	const sockets = new Set<net.Socket>();
	const server = net.createServer(client => {
		const upstream = net.connect(Number(target.port), target.hostname);
		sockets.add(client).add(upstream);
		client.pipe(upstream).pipe(client);
		for (const socket of [client, upstream]) {
			socket.on('error', () => undefined);
			socket.on('close', () => {
				sockets.delete(socket);
				client.destroy();
				upstream.destroy();
			});
		}
	});
	const listen = async (port: number) => new Promise<void>(resolve => {
		server.listen(port, '127.0.0.1', resolve);
	});
	await listen(0);
	const {port} = server.address() as net.AddressInfo;
	const cut = async () => {
		for (const socket of sockets) {
			socket.destroy();
		}

		await new Promise<void>(resolve => {
			server.close(() => {
				resolve();
			});
		});
	};

	return {
		port,
		cut,
		restore: async () => listen(port),
		async close() {
			if (server.listening) {
				await cut();
			}
		},
	};
}
