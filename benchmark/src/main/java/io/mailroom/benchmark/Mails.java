package io.mailroom.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.mailroom.contracts.Priority;
import io.mailroom.contracts.SendRequest;
import io.mailroom.core.services.SmtpService;

/**
 * The mails the benchmark sends: subscription digests of varying length (text and HTML, so every message is
 * multipart/alternative like most product mail) and short password-reset codes. Generated from a fixed seed,
 * so every run and every part sends the same subjects, bodies and sizes.
 */
final class Mails {

	private static final String[] WORDS = { "release", "notes", "invoice", "update", "workspace", "security",
			"report", "weekly", "team", "project", "article", "comment", "review", "schedule", "customer", "account",
			"storage", "backup", "policy", "integration" };

	private Mails() {
	}

	/** {@code count} digests of 1 to 8 articles each (about 1 to 6 KB of MIME). */
	static List<SendRequest> digests(SmtpService service, int count, Priority priority, long seed) {
		Random random = new Random(seed);
		List<SendRequest> mails = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			int articles = 1 + random.nextInt(8);
			StringBuilder text = new StringBuilder("Hello,\n\nhere is what happened in your workspace this week.\n\n");
			StringBuilder html = new StringBuilder("<html><body><p>Hello,</p><p>here is what happened in your "
					+ "workspace this week.</p><ul>");
			for (int a = 0; a < articles; a++) {
				String title = sentence(random, 6);
				String summary = sentence(random, 40);
				text.append("* ").append(title).append("\n  ").append(summary).append("\n\n");
				html.append("<li><a href=\"https://app.example/articles/").append(i).append('-').append(a)
					.append("\">").append(title).append("</a><br>").append(summary).append("</li>");
			}
			text.append("You receive this digest because you follow this workspace.\n");
			html.append("</ul><p>You receive this digest because you follow this workspace.</p></body></html>");
			mails.add(SendRequest.builder(service.accountId(), service.id())
				.priority(priority)
				.to("reader" + i + "@readers.example")
				.subject("Weekly digest: " + articles + " new articles about " + WORDS[random.nextInt(WORDS.length)])
				.text(text.toString())
				.html(html.toString())
				.tag("campaign", "weekly-digest")
				.build());
		}
		return mails;
	}

	/** A password-reset mail: the transactional kind that must never wait behind bulk mail. */
	static SendRequest passwordReset(SmtpService service, int n) {
		return passwordReset(service, n, Priority.TRANSACTIONAL);
	}

	/** The same short mail at another priority: a backlog of many small mails. */
	static SendRequest passwordReset(SmtpService service, int n, Priority priority) {
		return SendRequest.builder(service.accountId(), service.id())
			.priority(priority)
			.to("user" + n + "@customers.example")
			.subject("Your password reset code")
			.text("Your code is " + (100_000 + n % 900_000) + ". It expires in 10 minutes.")
			.build();
	}

	private static String sentence(Random random, int words) {
		StringBuilder sentence = new StringBuilder();
		for (int w = 0; w < words; w++) {
			String word = WORDS[random.nextInt(WORDS.length)];
			sentence.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : " " + word);
		}
		return sentence.append('.').toString();
	}

}
