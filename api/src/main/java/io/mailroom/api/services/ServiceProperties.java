package io.mailroom.api.services;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param secretExpiryWarning how long before a client secret's expiry date a service starts warning about it
 *     (default 30 days): an expired secret (AADSTS7000222) is the most common cause of a sudden outage
 */
@Validated
@ConfigurationProperties("mailroom.api.services")
record ServiceProperties(@NotNull @DefaultValue("30d") Duration secretExpiryWarning) {
}
