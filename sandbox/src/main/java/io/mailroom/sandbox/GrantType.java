package io.mailroom.sandbox;

import java.util.Optional;

/** The OAuth grant types of the token endpoint. */
public enum GrantType {

	AUTHORIZATION_CODE("authorization_code"), REFRESH_TOKEN("refresh_token"), CLIENT_CREDENTIALS("client_credentials");

	private final String parameter;

	GrantType(String parameter) {
		this.parameter = parameter;
	}

	/** The {@code grant_type} parameter value. */
	public String parameter() {
		return this.parameter;
	}

	static Optional<GrantType> of(String parameter) {
		for (GrantType type : values()) {
			if (type.parameter.equals(parameter)) {
				return Optional.of(type);
			}
		}
		return Optional.empty();
	}

}
