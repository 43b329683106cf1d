package dev.bulwark.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.ConfigWriter;
import dev.bulwark.mgmt.daemon.Daemon;
import dev.bulwark.mgmt.daemon.FakeKernelDaemon;
import dev.bulwark.mgmt.daemon.DemoRouter;
import dev.bulwark.dataplane.conntrack.ConntrackEntry;
import dev.bulwark.dataplane.fake.FakeDataplane;
import dev.bulwark.dataplane.netlink.Inet;
import java.net.InetAddress;
import java.util.Set;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The CLI client (config get/put/edit, commit, revisions, rollback, diff, status, conntrack) in-process against a
 * real daemon in-process on the in-memory kernel of dataplane's test-jar (devices eth0 and eth1, so the home-router
 * example applies; no root needed), listening on a free port. The same daemon over a real namespace is
 * {@code ApiDaemonTest}'s. Every command once, --json, the environment variables, a concurrent change
 * between reading the ETag and the PUT, problems with pointers, a wrong token (exit 1) and an unreachable API (exit 3).
 * The tests share the daemon and run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClientCliTest {

    static final Path HOME = Path.of("..", "examples", "home-router.yaml");
    static final String TOKEN = "bwk_cli_test_admin_5e0c93b1";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    FakeDataplane kernel;
    Daemon daemon;
    String api;
    String home;

    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }

        CliTest.Run asRun() {
            return new CliTest.Run(code, out, err);
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    @BeforeAll
    void start() throws Exception {
        kernel = new FakeDataplane("eth0", "eth1");
        home = ConfigWriter.toYaml(DemoRouter.withToken(ConfigLoader.load(HOME).orThrow(), TOKEN));
        Path file = tmp.resolve("router.yaml");
        Files.writeString(file, home);
        daemon = FakeKernelDaemon.start(file, tmp.resolve("state"), kernel, o -> o);
        api = "http://127.0.0.1:" + daemon.port();
    }

    @AfterAll
    void stop() {
        if (daemon != null) daemon.close();
    }

    /** The CLI with the given environment (no terminal), and a hook between reading the ETag and the PUT. */
    static Run cli(Map<String, String> env, Runnable beforeWrite, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Main main = new Main();
        main.env = env;
        main.terminal = () -> false;
        if (beforeWrite != null) main.beforeWrite = beforeWrite;
        CommandLine cl = new CommandLine(main);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    Map<String, String> env(String... extra) {
        Map<String, String> env = new HashMap<>(Map.of("BULWARK_API", api, "BULWARK_TOKEN", TOKEN));
        for (int i = 0; i + 1 < extra.length; i += 2) env.put(extra[i], extra[i + 1]);
        return env;
    }

    /** The CLI configured through BULWARK_API and BULWARK_TOKEN. */
    Run bulwark(String... args) {
        return cli(env(), null, args);
    }

    Path file(String name, String content) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    /** The home-router config with these admins. */
    String withAdmins(String admins) {
        assertThat(home).contains("      - 192.168.1.10\n");
        return home.replace("      - 192.168.1.10\n", admins.lines().map(a -> "      - " + a + "\n").reduce("", String::concat));
    }

    long latest() throws Exception {
        return bulwark("status", "--json").json().get("latest").asLong();
    }

    @Test
    @Order(1)
    void statusFromTheEnvironmentOrTheOptionsAsATableOrJson() throws Exception {
        Run s = bulwark("status");
        assertThat(s.code()).as(s.toString()).isZero();
        assertThat(s.out()).contains("api             " + api, "converged       yes", "revision        applied 1, newest 1", "no commit waits for confirmation");
        Run j = bulwark("status", "--json");
        assertThat(j.code()).isZero();
        assertThat(j.json().get("converged").asBoolean()).isTrue();
        assertThat(j.json().get("metrics").get("commits").asLong()).isEqualTo(1);
        // the options win over the environment
        Run o = cli(Map.of("BULWARK_API", "http://127.0.0.1:1", "BULWARK_TOKEN", "wrong"), null, "status", "--api", api, "--token", TOKEN);
        assertThat(o.code()).as(o.toString()).isZero();
    }

    @Test
    @Order(2)
    void configGetInYamlOrJson() throws Exception {
        Run y = bulwark("config", "get");
        assertThat(y.code()).isZero();
        assertThat(y.out()).isEqualTo(home);
        assertThat(bulwark("config", "get", "--yaml").out()).isEqualTo(home);
        Run j = bulwark("config", "get", "--json");
        assertThat(j.json().at("/interfaces/wan/device").asText()).isEqualTo("eth0");
        assertThat(bulwark("config", "get", "--yaml", "--json").code()).isEqualTo(2);
    }

    @Test
    @Order(3)
    void configPutPrintsThePlanAndTheNewRevision() throws Exception {
        Path f = file("two-admins.yaml", withAdmins("192.168.1.10\n192.168.1.11"));
        Run r = bulwark("config", "put", f.toString(), "--message", "admin .11");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("nft: ").contains("192.168.1.11").contains("committed revision 2");
        assertThat(bulwark("config", "get").out()).contains("- 192.168.1.11");
        // the same again, as JSON: a new revision, nothing to change in the kernel
        Run again = bulwark("config", "put", f.toString(), "--json");
        assertThat(again.code()).isZero();
        assertThat(again.json().at("/revision/id").asLong()).isEqualTo(3);
        assertThat(again.json().get("changed").asBoolean()).isFalse();
        assertThat(bulwark("config", "put", f.toString()).out()).startsWith("no changes\ncommitted revision 4; the kernel already matched it");
    }

    @Test
    @Order(4)
    void putWithConfirmShowsTheDeadlineAndCommitConfirmKeepsIt() throws Exception {
        Path f = file("three-admins.yaml", withAdmins("192.168.1.10\n192.168.1.11\n192.168.1.12"));
        long before = latest();
        Run r = bulwark("config", "put", f.toString(), "--confirm", "300");
        assertThat(r.code()).as(r.toString()).isZero();
        long rev = before + 1;
        assertThat(r.out()).contains("committed revision " + rev,
                "revision " + rev + " waits for confirmation until ", "confirm it with 'bulwark commit confirm', else revision " + before + " comes back");
        Run pending = bulwark("commit");
        assertThat(pending.out()).startsWith("revision " + rev + " waits for confirmation until ");
        assertThat(bulwark("commit", "--json").json().at("/pending/revision").asLong()).isEqualTo(rev);
        Run confirm = bulwark("commit", "confirm");
        assertThat(confirm.code()).as(confirm.toString()).isZero();
        assertThat(confirm.out()).isEqualTo("confirmed revision " + rev + "; it stays\n");
        assertThat(bulwark("commit").out()).isEqualTo("no commit is waiting for confirmation\n");
        Run nothing = bulwark("commit", "confirm");
        assertThat(nothing.code()).isEqualTo(1);
        assertThat(nothing.err()).startsWith("error: ");
        assertThat(bulwark("config", "put", f.toString(), "--confirm", "0").code()).isEqualTo(2);
    }

    @Test
    @Order(5)
    void aConcurrentChangeBetweenReadingTheETagAndThePutIsReportedNotOverwritten() throws Exception {
        Path mine = file("mine.yaml", withAdmins("192.168.1.10\n192.168.1.13"));
        Path theirs = file("theirs.yaml", withAdmins("192.168.1.10\n192.168.1.14"));
        long before = latest();
        // while "mine" is between GET and PUT, someone else commits "theirs" through the API (the CLI, again)
        Run r = cli(env(), () -> assertThat(bulwark("config", "put", theirs.toString(), "--message", "theirs").code()).isZero(),
                "config", "put", mine.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        List<String> err = r.err().lines().toList();
        assertThat(err.getFirst()).startsWith("error: The config changed since it was read — ");
        assertThat(err.get(1)).isEqualTo("hint: revision " + (before + 1) + " was committed in between; nothing was changed: look at it (bulwark diff "
                + before + " " + (before + 1) + ") and try again");
        assertThat(latest()).isEqualTo(before + 1);
        assertThat(bulwark("config", "get").out()).contains("192.168.1.14").doesNotContain("192.168.1.13");
        // an explicit stale --if-match is refused the same way
        assertThat(bulwark("config", "put", mine.toString(), "--if-match", Long.toString(before)).code()).isEqualTo(1);
        assertThat(latest()).isEqualTo(before + 1);
    }

    @Test
    @Order(6)
    void anInvalidConfigIsPrintedAsTheProblemAndOnePointerLinePerError() throws Exception {
        long before = latest();
        Path bad = file("bad.yaml", withAdmins("192.168.1.300").replace("device: eth0", "devcie: eth0"));
        Run r = bulwark("config", "put", bad.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        List<String> err = r.err().lines().toList();
        assertThat(err.getFirst()).isEqualTo("error: The config is invalid — 2 errors; nothing was changed");
        assertThat(err).anySatisfy(l -> assertThat(l).matches("/interfaces/wan/devcie: unknown key 'devcie'; did you mean 'device'\\? \\(line 3, column \\d+\\)"));
        assertThat(err).anySatisfy(l -> assertThat(l).matches("/sets/admins/elements/0: '192.168.1.300' is not an IPv4 address.* \\(line \\d+, column \\d+\\)"));
        assertThat(latest()).isEqualTo(before);
        assertThat(bulwark("config", "put", tmp.resolve("nosuch.yaml").toString()).code()).isEqualTo(2);
    }

    @Test
    @Order(7)
    void aWrongOrMissingTokenIsExitOneWithAClearMessage() {
        Run wrong = cli(Map.of("BULWARK_API", api, "BULWARK_TOKEN", "bwk_not_the_token"), null, "status");
        assertThat(wrong.code()).isEqualTo(1);
        assertThat(wrong.out()).isEmpty();
        assertThat(wrong.err()).startsWith("error: Invalid token — ")
                .contains("hint: the token was not accepted: check --token or BULWARK_TOKEN");
        Run none = cli(Map.of("BULWARK_API", api), null, "revisions");
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).startsWith("error: Authentication required — ").contains("hint: no token given: use --token TOKEN or set BULWARK_TOKEN");
    }

    @Test
    @Order(8)
    void anUnreachableApiIsExitThree() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run r = cli(Map.of("BULWARK_TOKEN", TOKEN), null, "status", "--api", "http://127.0.0.1:" + port);
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).startsWith("error: cannot reach the API at http://127.0.0.1:" + port + ": connection refused");
        assertThat(cli(Map.of(), null, "status", "--api", "not a url").code()).isEqualTo(2);
    }

    @Test
    @Order(9)
    void revisionsDiffAndRollback() throws Exception {
        long before = latest();
        Run list = bulwark("revisions");
        assertThat(list.code()).isZero();
        List<String> lines = list.out().lines().toList();
        assertThat(lines.getFirst()).matches(" +ID +TIME +AUTHOR +SOURCE +MESSAGE");
        assertThat(lines.get(1)).matches("\\* +" + before + " +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ +demo +api +theirs");
        assertThat(lines).hasSize((int) before + 1);
        assertThat(list.out()).contains("admin .11");
        assertThat(bulwark("revisions", "--json").json().get("revisions")).hasSize((int) before);

        Run diff = bulwark("diff", "1", "2");
        assertThat(diff.code()).as(diff.toString()).isZero();
        assertThat(diff.out()).isEqualTo("sets:\n  ~ admins elements: [192.168.1.10] → [192.168.1.10, 192.168.1.11]\n");
        assertThat(bulwark("diff", "1", "2", "--json").json().get("changes").get(0).get("pointer").asText()).isEqualTo("/sets/admins/elements");
        // a revision against a file: what putting the file would change
        Path f = file("one-admin.yaml", home);
        assertThat(bulwark("diff", "2", f.toString()).out()).isEqualTo("sets:\n  ~ admins elements: [192.168.1.10, 192.168.1.11] → [192.168.1.10]\n");
        Run missing = bulwark("diff", "1", "999");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).startsWith("error: Not found — ");

        Run rb = bulwark("rollback", "1");
        assertThat(rb.code()).as(rb.toString()).isZero();
        assertThat(rb.out()).contains("192.168.1.14").contains("committed revision " + (before + 1) + " (the config of revision 1)");
        assertThat(bulwark("config", "get").out()).isEqualTo(home);
        assertThat(bulwark("revisions").out().lines().skip(1).findFirst().orElseThrow()).contains("rollback to revision 1");
        assertThat(bulwark("rollback", "0").code()).isEqualTo(2);
    }

    @Test
    @Order(10)
    void conntrackListsAsItStreamsAndFlushesByFilter() throws Exception {
        // three UDP flows to a port nobody listens on (unreplied), and one other, as the kernel would list them
        InetAddress router = InetAddress.getByName("192.168.1.1");
        for (int port : new int[]{40001, 40002, 40003, 40004}) {
            int to = port == 40004 ? 53 : 9999;
            kernel.conntrack().add(new ConntrackEntry(Inet.AF_INET, ConntrackEntry.UDP,
                    new ConntrackEntry.Tuple(router, router, port, to, -1, -1, -1),
                    new ConntrackEntry.Tuple(router, router, to, port, -1, -1, -1),
                    null, 30, 0, Set.of(ConntrackEntry.Status.CONFIRMED), 0, null, null, port));
        }
        Run list = bulwark("conntrack", "--protocol", "udp", "--port", "9999");
        assertThat(list.code()).as(list.toString()).isZero();
        List<String> lines = list.out().lines().toList();
        assertThat(lines.getFirst()).startsWith("PROTO    STATE        TIMEOUT  ORIGINAL");
        assertThat(lines.subList(1, lines.size() - 1)).hasSize(3).allSatisfy(l -> assertThat(l)
                .matches("udp +- +\\d+s +192\\.168\\.1\\.1:\\d+ → 192\\.168\\.1\\.1:9999 +192\\.168\\.1\\.1:9999 → 192\\.168\\.1\\.1:\\d+"));
        assertThat(lines.getLast()).isEqualTo("3 entries");
        Run nd = bulwark("conntrack", "list", "--address", "192.168.1.1", "--port", "9999", "--json");
        assertThat(nd.out().lines().toList()).hasSize(3).allSatisfy(l -> {
            JsonNode e = JSON.readTree(l);
            assertThat(e.get("protocol").asText()).isEqualTo("udp");
            assertThat(e.at("/original/destinationPort").asInt()).isEqualTo(9999);
        });
        Run flush = bulwark("conntrack", "flush", "--protocol", "udp", "--port", "9999");
        assertThat(flush.code()).as(flush.toString()).isZero();
        assertThat(flush.out()).startsWith("deleted 3 entries");
        assertThat(bulwark("conntrack", "--protocol", "udp", "--port", "9999").out()).endsWith("\n0 entries\n");
        assertThat(bulwark("conntrack", "--protocol", "tcpp").code()).isEqualTo(2);
        assertThat(bulwark("conntrack", "--address", "192.168.1.300").code()).isEqualTo(2);
        assertThat(bulwark("conntrack", "purge").code()).isEqualTo(2);
    }

    /** An executable editor script that runs {@code body} with the file as $1. */
    Path editor(String name, String body) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    static final Pattern KEPT = Pattern.compile("your edit .*is kept in (\\S+\\.yaml)");

    @Test
    @Order(11)
    void editRunsTheEditorAndPutsTheResultWithIfMatch() throws Exception {
        // no terminal and no editor: refused before anything is read
        Run refused = cli(env(), null, "config", "edit");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).startsWith("error: 'bulwark config edit' needs a terminal for the editor, and neither VISUAL nor EDITOR is set");

        Path addAdmin = editor("add-admin.sh", "sed -i 's/^      - 192.168.1.10$/      - 192.168.1.10\\n      - 192.168.1.15/' \"$1\"");
        long before = latest();
        Run ok = cli(env("EDITOR", addAdmin.toString()), null, "config", "edit", "--message", "edited");
        assertThat(ok.code()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("192.168.1.15", "committed revision " + (before + 1));
        assertThat(bulwark("config", "get").out()).contains("- 192.168.1.15");

        // VISUAL comes before EDITOR; an unchanged file commits nothing
        Run same = cli(env("VISUAL", "true", "EDITOR", addAdmin.toString()), null, "config", "edit");
        assertThat(same.out()).isEqualTo("no changes; nothing was changed\n");
        Run failed = cli(env("EDITOR", "false"), null, "config", "edit");
        assertThat(failed.code()).isEqualTo(1);
        assertThat(failed.err()).startsWith("error: the editor exited with status 1; nothing was changed");
        assertThat(latest()).isEqualTo(before + 1);
    }

    @Test
    @Order(12)
    void aRefusedEditPrintsTheProblemsAndKeepsTheFile() throws Exception {
        long before = latest();
        Path typo = editor("typo.sh", "sed -i 's/device: eth0/devcie: eth0/' \"$1\"");
        Run bad = cli(env("EDITOR", typo.toString()), null, "config", "edit");
        assertThat(bad.code()).as(bad.toString()).isEqualTo(1);
        assertThat(bad.err()).startsWith("error: The config is invalid — 1 error; nothing was changed\n/interfaces/wan/devcie: unknown key 'devcie'");
        Matcher m = KEPT.matcher(bad.err());
        assertThat(m.find()).as(bad.err()).isTrue();
        Path kept = Path.of(m.group(1));
        assertThat(Files.readString(kept)).contains("devcie: eth0");
        assertThat(bad.err()).contains("fix it and run: bulwark config put " + kept + " --if-match " + before);
        // fixed, it goes in with the revision it was based on
        Files.writeString(kept, Files.readString(kept).replace("devcie", "device").replace("      - 192.168.1.10\n", "      - 192.168.1.10\n      - 192.168.1.17\n"));
        Run fixed = bulwark("config", "put", kept.toString(), "--if-match", Long.toString(before));
        assertThat(fixed.code()).as(fixed.toString()).isZero();
        Files.delete(kept);

        // a commit by someone else while the editor is open: 412, the edit kept
        Path addAdmin = editor("add-admin2.sh", "sed -i 's/^      - 192.168.1.10$/      - 192.168.1.10\\n      - 192.168.1.16/' \"$1\"");
        Path theirs = file("theirs2.yaml", home);
        Run stale = cli(env("EDITOR", addAdmin.toString()), () -> assertThat(bulwark("config", "put", theirs.toString()).code()).isZero(),
                "config", "edit");
        assertThat(stale.code()).as(stale.toString()).isEqualTo(1);
        assertThat(stale.err()).startsWith("error: The config changed since it was read — ");
        m = KEPT.matcher(stale.err());
        assertThat(m.find()).isTrue();
        assertThat(Files.readString(Path.of(m.group(1)))).contains("192.168.1.16");
        Files.delete(Path.of(m.group(1)));
        assertThat(bulwark("config", "get").out()).isEqualTo(home);
    }
}
