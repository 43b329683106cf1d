package dev.bulwark.control.revision;

import dev.bulwark.config.ConfigWriter;
import dev.bulwark.config.model.Config;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The process {@link RevisionCrashTest} kills: opens the store in {@code args[0]} (keeping {@code args[1]}
 * revisions), prints {@code ready <last id>}, then for each line {@code go N} on stdin makes N commits, printing
 * {@code ack <id> <sha256>} after each commit has returned (that is: after the revision is acknowledged), until it is
 * killed. Every seventh commit is a rollback to an older revision, so both write paths are exercised. The parent paces
 * the bursts so that a kill lands inside one at a random point, however fast the disk is.
 */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        List<Config> configs = new ArrayList<>();
        for (int i = 0; i < 20; i++) configs.add(TestConfigs.config(i));
        ConfigWriter.toYaml(configs.getFirst()); // warm up: kills should land in commits, not in class loading
        try (RevisionStore store = RevisionStore.open(Path.of(args[0]), Integer.parseInt(args[1]))) {
            long last = store.latest().map(Revision::id).orElse(0L);
            out.println("ready " + last);
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            long k = last;
            for (String line; (line = in.readLine()) != null; ) {
                int n = Integer.parseInt(line.substring("go ".length()).strip());
                for (int i = 0; i < n; i++) {
                    k++;
                    Revision r;
                    if (k % 7 == 0 && store.list().size() > 3) {
                        long target = store.list().get(store.list().size() - 3).id();
                        r = store.rollback(target, CommitMeta.of("crash-child", "rollback " + k, Source.CLI));
                    } else {
                        r = store.commit(configs.get((int) (k % configs.size())), CommitMeta.of("crash-child", "commit " + k, Source.CLI));
                    }
                    out.println("ack " + r.id() + " " + r.sha256());
                    out.flush();
                }
            }
        }
    }
}
