/**
 * Per-account rate limits on the actions that cost Microsoft or a mailbox something: authorization starts
 * and test emails. Token buckets in memory, per api instance: they stop a runaway script or a stuck
 * button, not a determined attacker spread over instances (the identity platform and Exchange have their
 * own limits behind these).
 */
package io.mailroom.api.limits;
