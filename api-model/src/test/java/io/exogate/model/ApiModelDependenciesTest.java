package io.exogate.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Proves from the compiled bytecode that api-model uses nothing but the JDK and Reactor: every class
 * any of its class files refers to (constant pool and descriptors) is in an allowed package.
 */
class ApiModelDependenciesTest {

	private static final List<String> ALLOWED = List.of("java/", "reactor/", "org/reactivestreams/", "io/exogate/model/");

	private static final Pattern DESCRIPTOR_TYPE = Pattern.compile("L([A-Za-z_$][\\w/$]*)[;<]");

	@Test
	void mainClassesReferOnlyToTheJdkAndReactor() throws IOException {
		Set<String> referenced = new TreeSet<>();
		try (Stream<Path> files = Files.walk(Path.of("target", "classes"))) {
			for (Path file : files.filter((p) -> p.toString().endsWith(".class")).toList()) {
				referenced.addAll(referencedClasses(Files.readAllBytes(file)));
			}
		}
		assertThat(referenced).as("the scan must see the ports' Reactor types").contains("reactor/core/publisher/Mono",
				"reactor/core/publisher/Flux");
		assertThat(referenced).filteredOn((name) -> ALLOWED.stream().noneMatch(name::startsWith)).isEmpty();
	}

	@Test
	void theScannerNoticesAForeignReference() throws IOException {
		byte[] ownBytes = Files.readAllBytes(Path.of("target", "test-classes", "io", "exogate", "model",
				"ApiModelDependenciesTest.class"));
		assertThat(referencedClasses(ownBytes)).contains("org/junit/jupiter/api/Test");
	}

	static Set<String> referencedClasses(byte[] classFile) throws IOException {
		Set<String> names = new TreeSet<>();
		DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
		if (in.readInt() != 0xCAFEBABE) {
			throw new IOException("not a class file");
		}
		in.readUnsignedShort();
		in.readUnsignedShort();
		int count = in.readUnsignedShort();
		String[] utf8 = new String[count];
		int[] classIndexes = new int[count];
		for (int i = 1; i < count; i++) {
			int tag = in.readUnsignedByte();
			switch (tag) {
				case 1 -> utf8[i] = in.readUTF();
				case 7 -> classIndexes[i] = in.readUnsignedShort();
				case 8, 16, 19, 20 -> in.readUnsignedShort();
				case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
				case 5, 6 -> {
					in.readLong();
					i++;
				}
				case 15 -> {
					in.readUnsignedByte();
					in.readUnsignedShort();
				}
				default -> throw new IOException("unknown constant pool tag " + tag);
			}
		}
		for (int i = 1; i < count; i++) {
			if (classIndexes[i] != 0) {
				String name = utf8[classIndexes[i]];
				String element = name.startsWith("[") ? stripArray(name) : name;
				if (element != null) {
					names.add(element);
				}
			}
			if (utf8[i] != null && (utf8[i].startsWith("(") || utf8[i].startsWith("L") || utf8[i].startsWith("<"))) {
				Matcher matcher = DESCRIPTOR_TYPE.matcher(utf8[i]);
				while (matcher.find()) {
					names.add(matcher.group(1));
				}
			}
		}
		return names;
	}

	private static String stripArray(String name) {
		Matcher matcher = DESCRIPTOR_TYPE.matcher(name);
		return matcher.find() ? matcher.group(1) : null;
	}

}
