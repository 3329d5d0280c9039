package io.exogate.gateway.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 {@code GET} over a plain socket with a small receive buffer, its body read as slowly
 * as the test likes: a client that reads at its own pace, pauses, or goes away mid-body.
 */
final class RawStream implements AutoCloseable {

	final int status;

	final Map<String, String> headers;

	private final Socket socket;

	private final InputStream body;

	private long read;

	private RawStream(Socket socket, int status, Map<String, String> headers, InputStream body) {
		this.socket = socket;
		this.status = status;
		this.headers = headers;
		this.body = body;
	}

	/** Sends the request and reads the status line and headers; the body is left unread. */
	static RawStream open(String url, String range) throws IOException {
		URI uri = URI.create(url);
		Socket socket = new Socket();
		socket.setReceiveBufferSize(32 * 1024);
		socket.setSoTimeout(30_000);
		socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
		OutputStream out = socket.getOutputStream();
		String request = "GET " + uri.getRawPath() + ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "") + " HTTP/1.1\r\n"
				+ "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n" + ((range != null) ? "Range: " + range + "\r\n" : "")
				+ "Connection: close\r\n\r\n";
		out.write(request.getBytes(StandardCharsets.US_ASCII));
		out.flush();
		InputStream in = socket.getInputStream();
		String statusLine = line(in);
		Map<String, String> headers = new LinkedHashMap<>();
		for (String line = line(in); !line.isEmpty(); line = line(in)) {
			int colon = line.indexOf(':');
			headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
		}
		return new RawStream(socket, Integer.parseInt(statusLine.split(" ")[1]), headers, in);
	}

	/** Reads up to {@code max} bytes of the body into {@code target}; -1 at its end. */
	int read(byte[] target, int max) throws IOException {
		int n = this.body.read(target, 0, Math.min(max, target.length));
		if (n > 0) {
			this.read += n;
		}
		return n;
	}

	/** The rest of the body, at once. */
	byte[] readRest() throws IOException {
		byte[] rest = this.body.readAllBytes();
		this.read += rest.length;
		return rest;
	}

	/** Body bytes read so far. */
	long bytesRead() {
		return this.read;
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	private static String line(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		for (int b = in.read(); b != '\n'; b = in.read()) {
			if (b < 0) {
				throw new IOException("The connection closed within the headers");
			}
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(StandardCharsets.ISO_8859_1);
	}

}
