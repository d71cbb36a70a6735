package io.pyralog.node.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module layering: log-common at the bottom, log-client and the node's server side as
 * peers above it. The client never reaches into the node, and the node's storage and
 * replication never depend on the Flight protocol layer or the CLI.
 */
class LayeringTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.pyralog");

  @Test
  void commonDependsOnNothingElseOfPyralog() {
    noClasses().that().resideInAPackage("io.pyralog.common..")
        .should().dependOnClassesThat().resideInAnyPackage("io.pyralog.client..",
            "io.pyralog.node..")
        .check(CLASSES);
  }

  @Test
  void clientNeverDependsOnTheNode() {
    noClasses().that().resideInAPackage("io.pyralog.client..")
        .should().dependOnClassesThat().resideInAPackage("io.pyralog.node..")
        .check(CLASSES);
  }

  @Test
  void storageAndReplicationStayBelowTheProtocolAndCli() {
    noClasses().that().resideInAnyPackage("io.pyralog.node.storage..",
            "io.pyralog.node.replication..", "io.pyralog.node.metadata..")
        .should().dependOnClassesThat().resideInAnyPackage("io.pyralog.node.server.protocol..",
            "io.pyralog.node.cli..", "io.pyralog.client..")
        .check(CLASSES);
  }

  @Test
  void storageDoesNotKnowAboutRaft() {
    noClasses().that().resideInAPackage("io.pyralog.node.storage..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.ratis..",
            "io.pyralog.node.replication..")
        .check(CLASSES);
  }
}
