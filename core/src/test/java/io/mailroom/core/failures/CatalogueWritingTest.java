package io.mailroom.core.failures;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Every message and hint in the catalogue follows the house rules for text an admin reads. */
class CatalogueWritingTest {

	static Stream<Text> everyMessageAndHint() {
		List<Text> texts = new ArrayList<>();
		for (SmtpCatalogue.Row row : SmtpCatalogue.rows()) {
			String where = "SMTP " + row.match();
			texts.add(new Text(where + " message", row.message()));
			texts.add(new Text(where + " hint", row.hint()));
			texts.add(new Text(where + " help URL", row.helpUrl()));
		}
		IdentityCatalogue.rows().forEach((code, row) -> {
			texts.add(new Text("AADSTS" + code + " message", row.message()));
			texts.add(new Text("AADSTS" + code + " hint", row.hint()));
		});
		for (GoogleCatalogue.Row row : GoogleCatalogue.rows()) {
			String where = "Google " + row.error() + " " + row.words();
			texts.add(new Text(where + " message", row.message()));
			texts.add(new Text(where + " hint", row.hint()));
			texts.add(new Text(where + " help URL", row.helpUrl()));
		}
		for (NetworkProblems problem : NetworkProblems.values()) {
			Failure failure = problem.failure("connect to smtp.office365.com:587");
			texts.add(new Text(problem + " message", failure.error().message()));
			texts.add(new Text(problem + " hint", failure.error().hint()));
		}
		return texts.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("everyMessageAndHint")
	void isOneConcreteSentence(Text text) {
		if (text.where().endsWith("help URL")) {
			assertThat(text.value()).startsWith("https://").doesNotContain(" ");
			return;
		}
		assertThat(text.value()).isNotBlank()
			.doesNotContain("\n")
			.doesNotContain("  ")
			.endsWith(".")
			.doesNotContainPattern("[a-z)]\\. [A-Z]")
			.hasSizeLessThan(400);
		assertThat(Character.isUpperCase(text.value().charAt(0))).isTrue();
	}

	record Text(String where, String value) {

		@Override
		public String toString() {
			return where;
		}

	}

}
