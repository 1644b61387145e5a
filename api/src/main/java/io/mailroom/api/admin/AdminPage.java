package io.mailroom.api.admin;

import io.mailroom.api.security.PublicPath;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Serves the admin page's static files without credentials; the data they load needs an API key. */
@Configuration(proxyBeanMethods = false)
class AdminPage {

	@Bean
	PublicPath adminPageEntry() {
		return new PublicPath("/");
	}

	@Bean
	PublicPath adminPageDocument() {
		return new PublicPath("/index.html");
	}

	@Bean
	PublicPath adminPageAssets() {
		return new PublicPath("/admin/**");
	}

}
