package dev.bulwark.control.engine;

import dev.bulwark.config.model.Config;
import dev.bulwark.control.compile.Compiler;
import dev.bulwark.control.revision.CommitMeta;
import dev.bulwark.control.revision.Source;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The process {@link EngineCrashTest} kills: starts an engine on the state directory {@code args[0]} and the
 * namespace {@code args[1]} (as the daemon would: the startup reconcile, notifications watched), prints
 * {@code ready <last id>}, then for each line {@code go N} on stdin makes N commits through the engine, printing
 * {@code ack <id> <sha256>} after each has been acknowledged (the kernel took it and the revision is durable), until
 * it is killed. The commits cycle through three configs that differ in nft only, and in nft and routes.
 */
public final class EngineCrashChild {
    private EngineCrashChild() {
    }

    static final int KEEP = 1000;

    static List<Config> configs() {
        return List.of(EngineTests.home(), EngineTests.homeForwarding(8443), EngineTests.homeWithExtraRoute());
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        List<Config> configs = configs();
        configs.forEach(Compiler::compile); // warm up: kills should land in commits, not in class loading
        EngineOptions o = EngineOptions.kernel(Path.of(args[0]), args[1]).withKeep(KEEP).withResyncInterval(Duration.ofHours(1));
        try (Engine e = Engine.start(o)) {
            long last = e.latest().map(r -> r.id()).orElse(0L);
            out.println("ready " + last);
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            long k = last;
            for (String line; (line = in.readLine()) != null; ) {
                int n = Integer.parseInt(line.substring("go ".length()).strip());
                for (int i = 0; i < n; i++) {
                    k++;
                    CommitResult r = e.commit(configs.get((int) (k % configs.size())), CommitMeta.of("crash-child", "commit " + k, Source.CLI)).get();
                    out.println("ack " + r.revision().id() + " " + r.revision().sha256());
                    out.flush();
                }
            }
        }
    }
}
