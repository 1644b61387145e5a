/**
 * Mailroom's failure catalogue: every failure it reports, classified once, the same way for the api and
 * the worker, and written for the admin who must act on it (often with their IT admin beside them).
 *
 * <p>Rules for this package:
 * <ul>
 *   <li>Every failure carries a category, the most specific code ({@code AADSTS70008}, {@code 5.7.139},
 *       {@code INVALID_ADDRESS}), a one-sentence message saying what happened, a one-sentence hint saying
 *       what to do, a help URL where one exists, and whether sending again later may succeed by itself.</li>
 *   <li>Messages and hints are concrete and blame no one; they never contain secrets, tokens or raw
 *       exception text (server replies travel separately, in {@link Failure#smtpReply()}).</li>
 *   <li>The catalogue is data: {@code SmtpCatalogue} and {@code IdentityCatalogue} read like
 *       Microsoft's own tables (MICROSOFT-FACTS sections 3 and 4), one row per code or reply variant.
 *       Add a row there rather than a branch in {@link Failures}.</li>
 *   <li>Unknown codes still get an honest classification: identity errors by their {@code error} value,
 *       SMTP replies by their enhanced status class (RFC 3463) or reply code (RFC 5321); a 4xx reply is
 *       retryable, a 5xx reply is not.</li>
 *   <li>{@link ServiceImpact} says what a failure means for the whole service (refresh the token once,
 *       hold its mail until someone re-authorizes or fixes the setup); a failure that only concerns one
 *       mail has {@link ServiceImpact#NONE}.</li>
 *   <li>Text from outside Mailroom (SMTP reply texts, identity platform descriptions and {@code error}
 *       values, producers' values quoted in a refusal) is cleaned with
 *       {@link io.mailroom.core.text.SafeText#clean(String, int)} and cut to {@link Failures#MAX_TEXT} before
 *       it goes into a failure or an {@code SmtpReply}: a tenant's server that answers with a NUL must not
 *       make an outcome unwritable. Build failures and replies through this package, not with the records'
 *       constructors.</li>
 *   <li>No Spring, no I/O: plain functions that the api, the worker and their tests call directly.</li>
 * </ul>
 */
package io.mailroom.core.failures;
