package io.mailroom.sandbox;

/**
 * A client's {@code AUTH XOAUTH2} response once base64-decoded:
 * {@code "user=" + user + "\x01auth=Bearer " + token + "\x01\x01"}. A part the client left out is null.
 */
record Xoauth2(String user, String token) {

	static Xoauth2 parse(String decoded) {
		String user = null;
		String token = null;
		for (String part : decoded.split("\u0001")) {
			if (part.startsWith("user=")) {
				user = part.substring(5);
			}
			else if (part.regionMatches(true, 0, "auth=Bearer ", 0, 12)) {
				token = part.substring(12).trim();
			}
		}
		return new Xoauth2(user, token);
	}

}
