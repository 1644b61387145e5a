/**
 * A local stand-in for the Microsoft identity platform (login.microsoftonline.com, v2.0 endpoints) and
 * for Exchange Online SMTP client submission (smtp.office365.com:587), for tests and the local run.
 *
 * <p>Rules of this module:
 * <ul>
 * <li>It is never part of a production deployment: production profiles must not depend on it, and
 * nothing in it is hardened (tokens live in memory, the consent page trusts whoever submits it).</li>
 * <li>Production code talks to it exactly as it talks to Microsoft: MSAL4J's
 * {@code ConfidentialClientApplication} over HTTPS, Angus Mail over STARTTLS with XOAUTH2. There is no
 * test-only shortcut around the protocols; only {@link io.mailroom.sandbox.MicrosoftSandbox#signIn} stands
 * in for a person in a browser, and it too speaks HTTP to the sandbox.</li>
 * <li>Replies, error codes and texts follow Microsoft's documentation and observed server replies
 * (see the project's MICROSOFT-FACTS). Where a detail had to be invented, the code says so in a comment
 * marked {@code INVENTED}.</li>
 * <li>It starts in milliseconds and has no Spring in it, so any test can start its own.</li>
 * </ul>
 *
 * <p>The public surface is {@link io.mailroom.sandbox.MicrosoftSandbox} and the types it hands out;
 * everything else is package-private.
 */
package io.mailroom.sandbox;
