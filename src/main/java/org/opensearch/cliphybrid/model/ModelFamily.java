package org.opensearch.cliphybrid.model;

import java.util.Locale;

/**
 * What a model was trained as, which decides how it reads text, how its cosines become probabilities, and what it pools.
 * The folder's layout (Hugging Face split export, OpenCLIP export as Immich ships it) is a separate matter: most families
 * come in both.
 */
public enum ModelFamily {
    /** OpenAI CLIP and OpenCLIP's CLIP-trained models: BPE, softmax over labels. */
    CLIP,
    /** SigLIP: SentencePiece with canonicalised text, last-position pooling, a sigmoid per label. */
    SIGLIP,
    /** SigLIP 2: SigLIP with Gemma's tokenizer. */
    SIGLIP2,
    /** A multilingual text tower (XLM-RoBERTa, as M-CLIP) beside a CLIP vision tower: mean pooling over an attention mask. */
    MULTILINGUAL_CLIP;

    public String displayName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean sigmoid() {
        return this == SIGLIP || this == SIGLIP2;
    }
}
