package org.opensearch.cliphybrid.query.names;

import org.opensearch.action.ActionType;

/**
 * How many documents of a target hold each of a few words in the given text fields, read from each shard's term statistics:
 * one round trip to every shard, whatever the number of words, instead of a count search per word. An indices read action,
 * so whoever may search the target may ask.
 */
public final class WordStatsAction extends ActionType<WordStatsResponse> {
    public static final String NAME = "indices:data/read/clip/word_stats";
    public static final WordStatsAction INSTANCE = new WordStatsAction();

    private WordStatsAction() {
        super(NAME, WordStatsResponse::new);
    }
}
