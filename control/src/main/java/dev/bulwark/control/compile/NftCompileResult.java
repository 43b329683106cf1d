package dev.bulwark.control.compile;

import dev.bulwark.config.Problem;
import java.util.List;

/**
 * The outcome of compiling: the compiled table, or the errors that stop it, each naming the config pointer of what
 * the validator allowed but nftables cannot express.
 */
public record NftCompileResult(CompiledNft compiled, List<Problem> errors) {

    public NftCompileResult {
        errors = List.copyOf(errors);
        if (!errors.isEmpty()) compiled = null;
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    /** The compiled table, or a {@link CompileException} listing every error. */
    public CompiledNft orThrow() {
        if (!ok()) throw new CompileException(errors);
        return compiled;
    }
}
