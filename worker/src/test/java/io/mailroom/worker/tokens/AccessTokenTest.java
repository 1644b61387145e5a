package io.mailroom.worker.tokens;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class AccessTokenTest {

	private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

	@Test
	void neverShowsTheTokenItself() {
		AccessToken token = new AccessToken("eyJ0eXAiOiJKV1Qi.secret", NOW.plusSeconds(3600), 7L,
				AccessToken.Source.REFRESH);

		assertThat(token.toString()).doesNotContain("eyJ0eXAiOiJKV1Qi").contains("cacheVersion=7");
	}

	@Test
	void isValidOnlyWithMoreThanTheMarginLeft() {
		AccessToken token = new AccessToken("t", NOW.plus(Duration.ofMinutes(6)), 1L, AccessToken.Source.MEMORY);

		assertThat(token.validFor(Duration.ofMinutes(5), NOW)).isTrue();
		assertThat(token.validFor(Duration.ofMinutes(5), NOW.plusSeconds(60))).isFalse();
		assertThat(token.validFor(Duration.ofMinutes(5), NOW.plusSeconds(61))).isFalse();
	}

	@Test
	void settingsDefaultAsDocumented() {
		TokenProperties defaults = TokenProperties.defaults();

		assertThat(new Binder(new MapConfigurationPropertySource()).bindOrCreate("mailroom.tokens",
				TokenProperties.class)).isEqualTo(defaults);
		assertThat(defaults.refreshMargin()).isEqualTo(Duration.ofMinutes(5));
		assertThat(defaults.keepAliveAfter()).isEqualTo(Duration.ofDays(30));
		assertThat(defaults.keepAliveInterval()).isEqualTo(Duration.ofHours(1));
	}

}
