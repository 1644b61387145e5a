package io.mailroom.springpeer;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import io.mailroom.contracts.EmailAddress;
import io.mailroom.contracts.SendRequest;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * One send request, one mail: {@link JavaMailSender} connects, authenticates, sends and quits for each.
 * Listener concurrency is {@code spring.kafka.listener.concurrency}, one consumer per partition.
 */
@Component
class SendRequestListener {

	private final JavaMailSender mailSender;

	private final JsonMapper json;

	private final String from;

	SendRequestListener(JavaMailSender mailSender, JsonMapper json, @Value("${peer.from}") String from) {
		this.mailSender = mailSender;
		this.json = json;
		this.from = from;
	}

	@KafkaListener(topics = "${peer.topic}", groupId = "${spring.application.name}")
	void onSendRequest(String payload) throws MessagingException {
		SendRequest request = json.readValue(payload, SendRequest.class);
		MimeMessage message = mailSender.createMimeMessage();
		MimeMessageHelper helper = new MimeMessageHelper(message, request.html() != null, "UTF-8");
		helper.setFrom(from);
		helper.setTo(request.to().stream().map(EmailAddress::address).toArray(String[]::new));
		helper.setSubject(request.subject());
		if (request.html() != null) {
			helper.setText(request.text(), request.html());
		}
		else {
			helper.setText(request.text());
		}
		mailSender.send(message);
	}

}
