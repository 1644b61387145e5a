package io.mailroom.local;

import java.io.Closeable;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.loader.launch.Archive;
import org.springframework.boot.loader.launch.JarLauncher;
import org.springframework.boot.loader.launch.LaunchedClassLoader;
import org.springframework.boot.loader.net.protocol.Handlers;

/**
 * Starts a Spring Boot executable jar (the api's or the worker's, as built for production) inside this JVM,
 * with a class loader of its own, as {@code java -jar} would start it in a process of its own. Sharing
 * one class path would mix the two applications: both have an {@code application.yml} at the root, and
 * the api's security and OpenAPI starters would configure themselves in the worker too.
 */
final class ApplicationJar {

	private static final Logger LOG = LoggerFactory.getLogger(ApplicationJar.class);

	private final Path jar;

	ApplicationJar(Path jar) {
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(
					jar + " is missing: build it first (./mvnw -pl local -am package -DskipTests, which ./run-local does)");
		}
		this.jar = jar;
	}

	/**
	 * Runs the jar's application with these properties (as command-line arguments, so they win over its
	 * {@code application.yml} and environment variables) and returns once it has started.
	 */
	Running start(Map<String, String> properties) {
		String[] args = properties.entrySet()
			.stream()
			.map(property -> "--" + property.getKey() + "=" + property.getValue())
			.toArray(String[]::new);
		Thread thread = Thread.currentThread();
		ClassLoader previous = thread.getContextClassLoader();
		try {
			IsolatedLauncher launcher = new IsolatedLauncher(this.jar);
			ClassLoader loader = launcher.classLoader();
			thread.setContextClassLoader(loader);
			disableTomcatUrlFactory(loader);
			Class<?> mainClass = Class.forName(launcher.mainClassName(), false, loader);
			Class<?> springApplication = Class.forName("org.springframework.boot.SpringApplication", false, loader);
			Object application = springApplication.getConstructor(Class[].class)
				.newInstance((Object) new Class<?>[] { mainClass });
			springApplication.getMethod("setMainApplicationClass", Class.class).invoke(application, mainClass);
			// ConfigurableApplicationContext is a java.io.Closeable: the one type both class loaders share
			Closeable context = (Closeable) springApplication.getMethod("run", String[].class)
				.invoke(application, (Object) args);
			return new Running(mainClass.getSimpleName(), context, loader);
		}
		catch (InvocationTargetException ex) {
			throw new IllegalStateException(this.jar.getFileName() + " did not start", ex.getCause());
		}
		catch (Exception ex) {
			throw new IllegalStateException(this.jar.getFileName() + " did not start", ex);
		}
		finally {
			thread.setContextClassLoader(previous);
		}
	}

	/**
	 * Each embedded Tomcat would install its URL stream handler factory, which the JVM allows only once: the
	 * second application would fail with "factory already defined". Tomcat's own switch for embedding several
	 * servers in one JVM turns it off; the factory only serves {@code war:} URLs, which jars never use.
	 */
	private static void disableTomcatUrlFactory(ClassLoader loader) throws ReflectiveOperationException {
		try {
			Class.forName("org.apache.catalina.webresources.TomcatURLStreamHandlerFactory", true, loader)
				.getMethod("disable")
				.invoke(null);
		}
		catch (ClassNotFoundException ex) {
			// not a Tomcat application
		}
	}

	/** A started application; closing it closes its Spring context (web server, Kafka clients, pools). */
	record Running(String name, Closeable context, ClassLoader loader) implements AutoCloseable {

		@Override
		public void close() {
			Thread thread = Thread.currentThread();
			ClassLoader previous = thread.getContextClassLoader();
			thread.setContextClassLoader(this.loader);
			try {
				this.context.close();
			}
			catch (Exception ex) {
				LOG.warn("Could not stop {} cleanly", this.name, ex);
			}
			finally {
				thread.setContextClassLoader(previous);
			}
		}

	}

	/**
	 * Spring Boot's own launcher for the jar, except that the application's class loader does not delegate
	 * to this JVM's class path (Kafka's server, the sandbox, this module), only to the platform's classes.
	 * The loader's URL handlers stay on this class path, where the JDK looks them up.
	 */
	private static final class IsolatedLauncher extends JarLauncher {

		IsolatedLauncher(Path jar) throws Exception {
			super(Archive.create(jar.toFile()));
		}

		@Override
		protected ClassLoader createClassLoader(Collection<URL> urls) {
			return new LaunchedClassLoader(false, getArchive(), urls.toArray(URL[]::new),
					ClassLoader.getPlatformClassLoader());
		}

		ClassLoader classLoader() throws Exception {
			Handlers.register();
			return createClassLoader(getClassPathUrls());
		}

		String mainClassName() throws Exception {
			return getMainClass();
		}

	}

}
