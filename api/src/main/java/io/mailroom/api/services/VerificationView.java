package io.mailroom.api.services;

import java.util.List;

import io.mailroom.core.services.ServiceStatus;
import io.mailroom.core.verify.Check;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What Verify setup found: every check with its fix, and the service's status afterwards (a service that
 * held its mail and passes is AUTHORIZED again and its held mail is on its way).
 *
 * @param passed whether every check passed
 * @param checks each check: name, passed, what was found, and the fix when it failed
 * @param status the service's status after the check
 * @param heldMail mail still held after the check
 */
@Schema(name = "SetupVerification")
record VerificationView(boolean passed, List<Check> checks, ServiceStatus status, long heldMail) {
}
