package io.mailroom.worker;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The worker's feature packages and who may use whom, as their package documentation states it: a
 * change that crosses a boundary fails here before review.
 */
class WorkerArchitectureTest {

	private static final JavaClasses WORKER = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.mailroom.worker");

	@Test
	void featurePackagesDependOnEachOtherWithoutCycles() {
		slices().matching("io.mailroom.worker.(*)..").should().beFreeOfCycles().check(WORKER);
	}

	@Test
	void intakeStoresAndAnnouncesButNeverDispatchesOrSends() {
		noClasses().that()
			.resideInAPackage("..worker.intake..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("..worker.scheduling..", "..worker.delivery..", "..worker.tokens..")
			.check(WORKER);
	}

	@Test
	void deliveryAndTokensDecideNothingAboutServicesOrTheQueue() {
		noClasses().that()
			.resideInAnyPackage("..worker.delivery..", "..worker.tokens..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("..worker.scheduling..", "..worker.queue..", "..worker.intake..")
			.check(WORKER);
		noClasses().that()
			.resideInAnyPackage("..worker.delivery..")
			.should()
			.dependOnClassesThat()
			.haveFullyQualifiedName("io.mailroom.core.services.ServiceStatusChanges")
			.check(WORKER);
		noClasses().that()
			.haveSimpleName("AccessTokens")
			.should()
			.dependOnClassesThat()
			.haveFullyQualifiedName("io.mailroom.core.services.ServiceStatusChanges")
			.because("what a token failure means for the service is decided in one place, with its authorization")
			.check(WORKER);
	}

	@Test
	void theQueueKnowsNothingOfWhoUsesIt() {
		noClasses().that()
			.resideInAPackage("..worker.queue..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("..worker.scheduling..", "..worker.delivery..", "..worker.intake..",
					"..worker.tokens..", "..worker.results..")
			.check(WORKER);
	}

	@Test
	void schedulingShowsOnlyItsDispatcherAndSettings() {
		classes().that()
			.resideInAPackage("..worker.scheduling..")
			.and()
			.areTopLevelClasses()
			.and()
			.arePublic()
			.should()
			.haveSimpleNameStartingWith("Dispatcher")
			.orShould()
			.haveSimpleNameStartingWith("SchedulingProperties")
			.check(WORKER);
	}

	@Test
	void onlyTheSchedulerStartsDeliveries() {
		noClasses().that()
			.resideOutsideOfPackages("..worker.scheduling..", "..worker.delivery..")
			.should()
			.dependOnClassesThat()
			.haveSimpleName("Delivery")
			.check(WORKER);
	}

}
