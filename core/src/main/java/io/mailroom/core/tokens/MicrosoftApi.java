package io.mailroom.core.tokens;

/** The Microsoft API a token is for: each has its own audience, so each needs its own token. */
public enum MicrosoftApi {

	/** Exchange Online SMTP AUTH (XOAUTH2). */
	SMTP,

	/** Microsoft Graph ({@code sendMail}). */
	GRAPH

}
