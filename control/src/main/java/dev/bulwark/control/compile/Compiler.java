package dev.bulwark.control.compile;

import dev.bulwark.config.model.Config;

/**
 * Config to {@link DesiredState}: each subsystem's compiler in turn. Pure: no kernel access. The config must be
 * valid (as {@code ConfigLoader} returns it); what the validator allowed but the kernel cannot express is a
 * {@link CompileException} listing every problem with its config pointer.
 */
public final class Compiler {
    private Compiler() {
    }

    public static DesiredState compile(Config config) {
        CompiledNft nft = NftCompiler.compile(config).orThrow();
        DesiredNetwork network = NetworkCompiler.compile(config);
        return new DesiredState(network, DesiredNft.of(nft), nft.sysctlValues());
    }
}
