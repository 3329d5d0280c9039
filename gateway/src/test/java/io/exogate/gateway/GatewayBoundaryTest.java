package io.exogate.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import io.exogate.exotel.ExotelProperties;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The gateway's main code reaches Exotel through the ports of api-model and the adapters'
 * auto-configuration only: no compiled main class refers to a type of {@code io.exogate.exotel}.
 */
class GatewayBoundaryTest {

	private static final ArchRule PORTS_ONLY = noClasses().should()
		.dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.exogate.exotel.."))
		.because("the gateway uses the ports of api-model, and the adapters only through their auto-configuration");

	@Test
	void gatewayMainClassesReferToNoAdapterType() {
		JavaClasses main = new ClassFileImporter().importPath(Path.of("target", "classes"));
		assertThat(main.contain(ExogateApplication.class)).as("the scan must see the gateway's main classes").isTrue();
		PORTS_ONLY.check(main);
	}

	@Test
	void theRuleNoticesAnAdapterType() {
		JavaClasses offender = new ClassFileImporter().importClasses(ReachesIntoTheAdapters.class);
		assertThat(PORTS_ONLY.evaluate(offender).hasViolation()).isTrue();
	}

	/** What the rule must refuse. */
	static final class ReachesIntoTheAdapters {

		ExotelProperties properties;

	}

}
