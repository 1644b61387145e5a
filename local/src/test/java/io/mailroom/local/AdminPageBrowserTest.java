package io.mailroom.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import javax.net.ssl.SSLSocket;

import io.mailroom.sandbox.ReceivedMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The seed's flow in a real browser, clicking through the admin page of the local run: create a service,
 * authorize it on the stand-in's Microsoft sign-in page, send a test email and see it delivered; an
 * authorization that fails with Microsoft's code, hint and link; a service's page opened by its address, with
 * nothing but what the admin should read; the same for Google Workspace, with the Google Cloud console's steps in
 * the form. Skipped where Debian's chromium and
 * chromedriver are not installed ({@code .ci/run} installs them).
 */
class AdminPageBrowserTest {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static WebDriver browser;

	private static Path profile;

	private final LocalMailroom mailroom = LocalStack.mailroom();

	@BeforeAll
	static void startBrowser() throws IOException {
		assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
				"chromium and chromedriver are not installed (apt-get install chromium chromium-driver)");
		LocalMailroom mailroom = LocalStack.mailroom();
		profile = Files.createTempDirectory("mailroom-browser");
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
			.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
					"--disable-quic", "--no-first-run", "--disable-background-networking",
					"--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
					// trust exactly the stand-in's certificate, the way a developer imports its authority
					"--ignore-certificate-errors-spki-list=" + sandboxKeyPin(mailroom));
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		browser = new ChromeDriver(service, options);
		browser.manage().timeouts().implicitlyWait(Duration.ZERO);
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.quit();
		}
	}

	@Test
	void anAdminCreatesAuthorizesAndTestsAServiceAndTheMailArrives() {
		DemoMailbox demo = DemoMailbox.DEMO;
		String name = "Support " + UUID.randomUUID().toString().substring(0, 6);
		openAdminPage();
		click(By.id("configure-new"));
		fillServiceForm(name, demo.clientSecret());
		click(By.id("save-service"));

		assertThat(text(By.cssSelector(".notice.ok"))).contains("Service created.");
		assertThat(text(By.id("service-status"))).isEqualToIgnoringCase("not authorized");

		click(By.id("authorize"));
		// the stand-in's sign-in page, as Microsoft's: the account is prefilled from login_hint
		await().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("button[value=accept]")));
		assertThat(browser.findElement(By.id("login")).getAttribute("value")).isEqualTo(demo.loginEmail());
		click(By.cssSelector("button[value=accept]"));

		assertThat(text(By.cssSelector(".notice.ok"))).contains("Authorization successful.");
		assertThat(text(By.id("service-status"))).isEqualToIgnoringCase("authorized");

		String recipient = "it-admin+" + UUID.randomUUID().toString().substring(0, 6) + "@" + demo.domain();
		type(By.id("test-recipient"), recipient);
		click(By.id("send-test"));

		assertThat(text(By.cssSelector("#test-result .notice"))).contains("Test email sent to " + recipient);
		assertThat(this.mailroom.microsoft().mailbox().messagesTo(recipient)).singleElement()
			.extracting(ReceivedMessage::authenticatedBy)
			.isEqualTo(demo.loginEmail());
		await().until(ExpectedConditions.textToBePresentInElementLocated(By.id("deliveries"), recipient));
		screenshot("admin-page-after-test-email.png");
	}

	@Test
	void aWrongClientSecretShowsMicrosoftsCodeHintAndLink() {
		openAdminPage();
		click(By.id("configure-new"));
		fillServiceForm("Wrong secret " + UUID.randomUUID().toString().substring(0, 6), "not~TheSecretValue0123456789abcdef");
		click(By.id("save-service"));
		text(By.cssSelector(".notice.ok"));

		click(By.id("authorize"));
		await().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("button[value=accept]")));
		click(By.cssSelector("button[value=accept]"));

		String failure = text(By.cssSelector(".notice.bad"));
		assertThat(failure).contains("Authorization failed.").contains("AADSTS7000215");
		assertThat(browser.findElement(By.cssSelector(".notice.bad a")).getAttribute("href"))
			.isEqualTo("https://login.microsoftonline.com/error?code=7000215");
		screenshot("admin-page-failed-authorization.png");
	}

	@Test
	void aServicePageOpenedByItsAddressShowsNoNullOrUndefinedUnderItsTitle() {
		DemoMailbox demo = DemoMailbox.DEMO;
		String name = "Opened directly " + UUID.randomUUID().toString().substring(0, 6);
		String id = new Admin(this.mailroom)
			.createService(name, demo.loginEmail(), demo.clientId(), demo.clientSecret(), demo.tenantId())
			.path("id")
			.asString();
		openAdminPage();

		browser.get(this.mailroom.apiUrl() + "/#/services/" + id);
		await().until(ExpectedConditions.visibilityOfElementLocated(By.id("status-card")));

		WebElement app = browser.findElement(By.id("app"));
		// what follows the title row is the status card: no stray text node in between
		assertThat(app.findElement(By.xpath("./*[1]")).getText()).startsWith("Edit SMTP Service: " + name);
		assertThat(app.findElement(By.xpath("./*[2]")).getAttribute("id")).isEqualTo("status-card");
		assertThat((String) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
				"return [...document.getElementById('app').childNodes].filter(n => n.nodeType === Node.TEXT_NODE)"
						+ ".map(n => n.textContent).join('|')")).isEmpty();
		assertThat(app.getText()).doesNotContainPattern("\\b(null|undefined|false)\\b");
		screenshot("admin-page-service-opened-directly.png");
	}

	@Test
	void anAppOnlyServiceHeldForMissingConsentSendsOnceAnAdminConsentedAndVerifySetupPasses() {
		DemoMailbox demo = DemoMailbox.DEMO;
		openAdminPage();
		click(By.id("configure-new"));
		fillServiceForm("App-only " + UUID.randomUUID().toString().substring(0, 6), demo.clientSecret());
		new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("access"))).selectByValue("APPLICATION");
		click(By.id("save-service"));
		text(By.cssSelector(".notice.ok"));
		assertThat(text(By.id("service-status"))).isEqualToIgnoringCase("authorized");
		assertThat(browser.findElements(By.id("authorize"))).isEmpty();

		String recipient = "it-admin+" + UUID.randomUUID().toString().substring(0, 6) + "@" + demo.domain();
		type(By.id("test-recipient"), recipient);
		click(By.id("send-test"));
		assertThat(text(By.cssSelector("#test-result .notice"))).contains("held");
		click(By.cssSelector("#setup-guidance summary"));
		assertThat(text(By.cssSelector("#setup-guidance pre"))).contains("New-ServicePrincipal -AppId " + demo.clientId());

		String servicePage = browser.getCurrentUrl();
		browser.get(browser.findElement(By.id("admin-consent")).getAttribute("href"));
		type(By.id("login"), "admin@" + demo.domain());
		click(By.cssSelector("button[value=accept]"));
		assertThat(text(By.tagName("h1"))).isEqualTo("Admin consent granted");
		browser.get(servicePage);
		click(By.id("verify"));

		assertThat(text(By.cssSelector("#verify-result .notice"))).contains("Setup verified.");
		await().until(driver -> !this.mailroom.microsoft().mailbox().messagesTo(recipient).isEmpty());
		assertThat(this.mailroom.microsoft().mailbox().messagesTo(recipient)).singleElement()
			.extracting(ReceivedMessage::authenticatedBy)
			.isEqualTo(demo.clientId());
		screenshot("admin-page-after-verify-setup.png");
	}

	@Test
	void anAdminCreatesAGoogleServiceWithTheConsoleStepsAuthorizesWithGoogleAndTheTestEmailArrives() {
		DemoGoogle demo = DemoGoogle.DEMO;
		openAdminPage();
		click(By.id("configure-new"));
		await().until(ExpectedConditions.visibilityOfElementLocated(By.id("service-form")));
		click(By.id("auth-oauth2"));
		new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("provider"))).selectByValue("GOOGLE");

		// the form speaks Google now: its host, its console steps, and none of Microsoft's fields
		assertThat(browser.findElement(By.id("host")).getAttribute("value")).isEqualTo("smtp.gmail.com");
		assertThat(text(By.cssSelector("#oauth2-fields legend"))).isEqualTo("Google OAuth2");
		assertThat(browser.findElement(By.id("tenantId")).isDisplayed()).isFalse();
		assertThat(browser.findElement(By.id("transport")).isDisplayed()).isFalse();
		click(By.cssSelector("#google-setup-help summary"));
		assertThat(text(By.id("google-setup-help"))).contains("OAuth consent screen", "Internal", "External",
				"publishing status", "7 days", "https://mail.google.com/", "Web application", "Client ID", "Client secret",
				this.mailroom.apiUrl() + "/oauth2/custom-smtp-token", "Manage Domain Wide Delegation");
		new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("access"))).selectByValue("APPLICATION");
		assertThat(browser.findElement(By.id("serviceAccountKey")).isDisplayed()).isTrue();
		assertThat(browser.findElement(By.id("clientId")).isDisplayed()).isFalse();
		new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("access"))).selectByValue("DELEGATED");
		screenshot("admin-page-google-form.png");

		type(By.id("name"), "Gmail " + UUID.randomUUID().toString().substring(0, 6));
		type(By.id("host"), this.mailroom.google().smtpHost());
		type(By.id("port"), String.valueOf(this.mailroom.google().smtpPort()));
		type(By.id("fromAddress"), demo.loginEmail());
		type(By.id("loginEmail"), demo.loginEmail());
		type(By.id("clientId"), demo.clientId());
		type(By.id("clientSecret"), demo.clientSecret());
		click(By.id("save-service"));
		assertThat(text(By.cssSelector(".notice.ok"))).contains("Service created.", "authorize it with Google");

		click(By.id("authorize"));
		// the stand-in's Google consent page: the account is prefilled from login_hint
		await().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("button[value=accept]")));
		assertThat(browser.findElement(By.name("login")).getAttribute("value")).isEqualTo(demo.loginEmail());
		click(By.cssSelector("button[value=accept]"));

		assertThat(text(By.cssSelector(".notice.ok"))).contains("Authorization successful.");
		assertThat(text(By.id("service-status"))).isEqualToIgnoringCase("authorized");
		String recipient = "reader+" + UUID.randomUUID().toString().substring(0, 6) + "@example.org";
		type(By.id("test-recipient"), recipient);
		click(By.id("send-test"));

		assertThat(text(By.cssSelector("#test-result .notice"))).contains("Test email sent to " + recipient);
		assertThat(this.mailroom.google().mailbox().messagesTo(recipient)).singleElement()
			.extracting(ReceivedMessage::authenticatedBy)
			.isEqualTo(demo.loginEmail());
		screenshot("admin-page-google-after-test-email.png");
	}

	@Test
	void aCancelledGoogleSignInShowsGooglesErrorAndWhatToDo() {
		DemoGoogle demo = DemoGoogle.DEMO;
		String id = new Admin(this.mailroom).createGoogleService("Cancelled " + UUID.randomUUID().toString().substring(0, 6),
				demo.loginEmail(), demo.clientId(), demo.clientSecret(), this.mailroom.google().smtpHost(),
				this.mailroom.google().smtpPort()).path("id").asString();
		openAdminPage();
		browser.get(this.mailroom.apiUrl() + "/#/services/" + id);
		click(By.id("authorize"));
		await().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("button[value=cancel]")));
		click(By.cssSelector("button[value=cancel]"));

		assertThat(text(By.cssSelector(".notice.bad"))).contains("Authorization failed.", "access_denied",
				"Authorize again");
	}

	/** Keeps what the admin saw in target/, for a person to look at after the build. */
	private static void screenshot(String name) {
		browser.manage().window().setSize(new org.openqa.selenium.Dimension(1200, 2000));
		byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
		try {
			Files.write(Path.of("target", name), png);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private void openAdminPage() {
		browser.get(this.mailroom.apiUrl() + "/#key=" + this.mailroom.apiKey());
		await().until(ExpectedConditions.elementToBeClickable(By.id("configure-new")));
	}

	private void fillServiceForm(String name, String clientSecret) {
		DemoMailbox demo = DemoMailbox.DEMO;
		await().until(ExpectedConditions.visibilityOfElementLocated(By.id("service-form")));
		type(By.id("name"), name);
		type(By.id("host"), this.mailroom.microsoft().smtpHost());
		type(By.id("port"), String.valueOf(this.mailroom.microsoft().smtpPort()));
		type(By.id("fromAddress"), demo.loginEmail());
		click(By.id("auth-oauth2"));
		type(By.id("loginEmail"), demo.loginEmail());
		type(By.id("clientId"), demo.clientId());
		type(By.id("clientSecret"), clientSecret);
		type(By.id("tenantId"), demo.tenantId());
	}

	private static void type(By field, String value) {
		WebElement input = await().until(ExpectedConditions.visibilityOfElementLocated(field));
		input.clear();
		input.sendKeys(value);
	}

	private static void click(By target) {
		await().until(ExpectedConditions.elementToBeClickable(target)).click();
	}

	private static String text(By target) {
		return await().until(ExpectedConditions.visibilityOfElementLocated(target)).getText();
	}

	private static WebDriverWait await() {
		return new WebDriverWait(browser, Duration.ofSeconds(45));
	}

	/** base64 of the SHA-256 of the stand-in's server key: Chromium trusts that key and nothing more. */
	private static String sandboxKeyPin(LocalMailroom mailroom) {
		URI identity = URI.create(mailroom.microsoft().authorityHost());
		try (SSLSocket socket = (SSLSocket) mailroom.microsoft()
			.tls()
			.sslSocketFactory()
			.createSocket(identity.getHost(), identity.getPort())) {
			socket.startHandshake();
			Certificate server = socket.getSession().getPeerCertificates()[0];
			return Base64.getEncoder()
				.encodeToString(MessageDigest.getInstance("SHA-256").digest(server.getPublicKey().getEncoded()));
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not read the stand-in's certificate", ex);
		}
	}

}
