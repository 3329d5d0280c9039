package io.exogate.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The exogate GraphQL gateway: one endpoint over Exotel's v1, v3 and v4 call APIs. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ExogateApplication {

	public static void main(String[] args) {
		SpringApplication.run(ExogateApplication.class, args);
	}

}
