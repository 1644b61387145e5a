/**
 * What text Mailroom may store and send: the one place that knows which characters PostgreSQL and SMTP
 * refuse.
 *
 * <p>Rules:
 * <ul>
 *   <li>Text from producers is <em>checked</em> ({@link SafeText#flaw}) and refused with the field named;
 *       it is never changed silently, because a mail that goes out different from what was asked is worse
 *       than a refusal that says what to fix.</li>
 *   <li>Text from outside that Mailroom only reports (SMTP replies, identity platform descriptions,
 *       exception messages) is <em>cleaned</em> ({@link SafeText#clean}) before it is stored or published:
 *       a server's odd reply must never make an outcome unwritable.</li>
 *   <li>Raw records are checked as bytes ({@link SafeText#invalidUtf8At}) before they are read as JSON.</li>
 * </ul>
 * No Spring, no I/O.
 */
package io.mailroom.core.text;
