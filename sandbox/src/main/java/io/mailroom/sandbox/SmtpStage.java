package io.mailroom.sandbox;

/** Where in an SMTP transaction the sandbox can drop the connection. */
public enum SmtpStage {

	/** On the AUTH command, before answering it. */
	AUTH,

	/** On MAIL FROM, before answering it. */
	MAIL,

	/** On RCPT TO, before answering it. */
	RCPT,

	/**
	 * After the whole message was received, before the final reply: the client cannot know whether the
	 * message was accepted (it was not).
	 */
	END_OF_DATA

}
