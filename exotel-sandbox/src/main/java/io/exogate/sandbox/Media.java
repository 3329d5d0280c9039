package io.exogate.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Recording media: WAV generated to the call's length (8 kHz, 16-bit PCM; dual channel is stereo
 * with the agent left and the customer right) and MP3 from the clip this module ships. Serves
 * {@code Range} requests with 206 and {@code HEAD} without a body.
 */
final class Media {

	static final int SAMPLE_RATE = 8000;

	static final int HEADER_SIZE = 44;

	private static final int CHUNK = 64 * 1024;

	/**
	 * Frames after which the tone repeats exactly: two four-second turns, and every frequency in it
	 * (440 Hz, 330 Hz, the 2.5 Hz envelope) completes a whole number of cycles in eight seconds.
	 */
	static final int PERIOD_FRAMES = 8 * SAMPLE_RATE;

	private static final byte[] MP3 = loadMp3();

	private static final byte[] MONO_PERIOD = period(1);

	private static final byte[] DUAL_PERIOD = period(2);

	private Media() {
	}

	/** The media's size in bytes. */
	static long size(SandboxCall call, String format, String channel) {
		if (format.equals("mp3")) {
			return MP3.length;
		}
		return HEADER_SIZE + (long) call.recordingSeconds() * SAMPLE_RATE * 2 * channels(channel);
	}

	/** Answers a GET or HEAD for the media, honouring a single byte range. */
	static SandboxResponse serve(SandboxRequest request, SandboxCall call, String format, String channel) {
		long size = size(call, format, channel);
		String contentType = format.equals("mp3") ? "audio/mpeg" : "audio/wav";
		return ranged(request, size, contentType, (from, to) -> format.equals("mp3") ? slice(MP3, from, to)
				: wav(call.recordingSeconds(), channels(channel), from, to));
	}

	/** Answers a GET or HEAD for bytes held in memory. */
	static SandboxResponse serveBytes(SandboxRequest request, byte[] bytes, String contentType) {
		return ranged(request, bytes.length, contentType, (from, to) -> slice(bytes, from, to));
	}

	/** The shipped MP3 clip. */
	static byte[] mp3() {
		return MP3.clone();
	}

	/** The whole WAV file for a call, for archives. */
	static byte[] wavBytes(SandboxCall call, String channel) {
		int channels = channels(channel);
		long size = size(call, "wav", channel);
		byte[] bytes = new byte[(int) size];
		fill(bytes, 0, call.recordingSeconds(), channels, 0);
		return bytes;
	}

	interface Body {

		Flux<byte[]> bytes(long from, long toInclusive);

	}

	private static SandboxResponse ranged(SandboxRequest request, long size, String contentType, Body body) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("content-type", contentType);
		headers.put("accept-ranges", "bytes");
		String range = request.header("range");
		long from = 0;
		long to = size - 1;
		int status = 200;
		if (range != null && range.startsWith("bytes=") && !range.contains(",")) {
			long[] parsed = parseRange(range.substring(6).trim(), size);
			if (parsed == null) {
				headers.put("content-range", "bytes */" + size);
				headers.put("content-length", "0");
				return new SandboxResponse(416, headers, Flux.empty());
			}
			from = parsed[0];
			to = parsed[1];
			status = 206;
			headers.put("content-range", "bytes " + from + "-" + to + "/" + size);
		}
		headers.put("content-length", String.valueOf(to - from + 1));
		boolean head = request.method().equals("HEAD");
		return new SandboxResponse(status, headers, head ? Flux.empty() : body.bytes(from, to));
	}

	/** {@code {from, to}} inclusive, or {@code null} when unsatisfiable or malformed. */
	static long[] parseRange(String spec, long size) {
		int dash = spec.indexOf('-');
		if (dash < 0 || size == 0) {
			return null;
		}
		String first = spec.substring(0, dash).trim();
		String last = spec.substring(dash + 1).trim();
		try {
			if (first.isEmpty()) {
				long suffix = Long.parseLong(last);
				if (suffix <= 0) {
					return null;
				}
				return new long[] { Math.max(0, size - suffix), size - 1 };
			}
			long from = Long.parseLong(first);
			long to = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
			if (from < 0 || from >= size || to < from) {
				return null;
			}
			return new long[] { from, to };
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static Flux<byte[]> slice(byte[] source, long from, long to) {
		byte[] part = java.util.Arrays.copyOfRange(source, (int) from, (int) to + 1);
		return Flux.just(part);
	}

	private static Flux<byte[]> wav(int seconds, int channels, long from, long to) {
		// Generated on a worker, not on the server's event loop: many long streams at once must not delay other answers.
		return Flux.<byte[], Long>generate(() -> from, (offset, sink) -> {
			if (offset > to) {
				sink.complete();
				return offset;
			}
			int length = (int) Math.min(CHUNK, to - offset + 1);
			byte[] chunk = new byte[length];
			fill(chunk, offset, seconds, channels, 0);
			sink.next(chunk);
			return offset + length;
		}).subscribeOn(Schedulers.boundedElastic());
	}

	/** Writes the WAV bytes starting at file offset {@code offset} into {@code target}. */
	private static void fill(byte[] target, long offset, int seconds, int channels, int targetStart) {
		int dataSize = seconds * SAMPLE_RATE * 2 * channels;
		byte[] header = header(dataSize, channels);
		byte[] period = (channels == 1) ? MONO_PERIOD : DUAL_PERIOD;
		int i = targetStart;
		long position = offset;
		while (i < target.length && position < HEADER_SIZE) {
			target[i++] = header[(int) position++];
		}
		while (i < target.length) {
			int from = (int) ((position - HEADER_SIZE) % period.length);
			int length = Math.min(target.length - i, period.length - from);
			System.arraycopy(period, from, target, i, length);
			i += length;
			position += length;
		}
	}

	/**
	 * One period of the PCM data, little-endian, channels interleaved: the tone repeats every
	 * {@link #PERIOD_FRAMES} frames, so long recordings are copied from it, not computed per sample.
	 */
	private static byte[] period(int channels) {
		byte[] bytes = new byte[PERIOD_FRAMES * 2 * channels];
		int i = 0;
		for (int frame = 0; frame < PERIOD_FRAMES; frame++) {
			for (int channel = 0; channel < channels; channel++) {
				short sample = sample(frame, (channels == 1) ? -1 : channel);
				bytes[i++] = (byte) (sample & 0xFF);
				bytes[i++] = (byte) ((sample >> 8) & 0xFF);
			}
		}
		return bytes;
	}

	/**
	 * A speech-like tone: agent and customer take four-second turns; the agent at 440 Hz, the customer
	 * at 330 Hz. Channel -1 mixes both (single channel), 0 is the agent, 1 the customer. The recordings
	 * repeat the first {@link #PERIOD_FRAMES} frames of it.
	 */
	static short sample(long frame, int channel) {
		frame %= PERIOD_FRAMES;
		double t = (double) frame / SAMPLE_RATE;
		boolean agentTurn = ((long) (t / 4)) % 2 == 0;
		double envelope = 0.55 + 0.45 * Math.sin(2 * Math.PI * 2.5 * t);
		double agent = agentTurn ? envelope * Math.sin(2 * Math.PI * 440 * t) : 0;
		double customer = agentTurn ? 0 : envelope * Math.sin(2 * Math.PI * 330 * t);
		double value = switch (channel) {
			case 0 -> agent;
			case 1 -> customer;
			default -> agent + customer;
		};
		return (short) Math.round(value * 9000);
	}

	private static byte[] header(int dataSize, int channels) {
		java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(HEADER_SIZE).order(java.nio.ByteOrder.LITTLE_ENDIAN);
		buffer.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		buffer.putInt(36 + dataSize);
		buffer.put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		buffer.put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		buffer.putInt(16);
		buffer.putShort((short) 1);
		buffer.putShort((short) channels);
		buffer.putInt(SAMPLE_RATE);
		buffer.putInt(SAMPLE_RATE * 2 * channels);
		buffer.putShort((short) (2 * channels));
		buffer.putShort((short) 16);
		buffer.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		buffer.putInt(dataSize);
		return buffer.array();
	}

	private static int channels(String channel) {
		return channel.equals("dual") ? 2 : 1;
	}

	private static byte[] loadMp3() {
		try (InputStream in = Media.class.getResourceAsStream("recording.mp3")) {
			if (in == null) {
				throw new IllegalStateException("recording.mp3 is missing from the sandbox jar");
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
