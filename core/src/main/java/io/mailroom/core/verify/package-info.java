/**
 * Verify setup: checks a Microsoft service end to end without sending mail — a token, what it says
 * (audience, permissions, account, tenant), then SMTP AUTH (connect, STARTTLS, XOAUTH2, QUIT) or a Graph
 * call for the mailbox — each check passed or failed with its fix.
 *
 * <p>Rules: nothing here sends mail; tokens and secrets never appear in a check's text; a refreshed token
 * cache is saved with compare-and-set like any other refresh.
 */
package io.mailroom.core.verify;
