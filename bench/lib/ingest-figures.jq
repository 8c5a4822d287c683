# Figures of one plugin run from two snapshots of GET _plugins/clip/stats ($c0, $c1: empty when the endpoint is
# missing) and of GET _nodes/_local/stats/indices,process ($n0, $n1). Args: $ms (wall time), $n (images), $load, $note.
def node(s): s[0].nodes | to_entries[0].value;
def per_image(a; b): if a == null or b == null then "n/a" else ((b - a) / $n * 100 | round / 100) end;
(if ($c0 | length) > 0 and ($c1 | length) > 0 then [node($c0), node($c1)] else [null, null] end) as [$a, $b]
| {images_per_s: ($n / $ms * 1000 * 10 | round / 10), seconds: ($ms / 1000), load: $load, note: $note,
   cpu_ms_per_image: per_image(node($n0).process.cpu.total_in_millis; node($n1).process.cpu.total_in_millis),
   ms_per_image: ({fetch: per_image($a.latency_ms.fetch.total; $b.latency_ms.fetch.total),
                   decode: per_image($a.latency_ms.decode.total; $b.latency_ms.decode.total),
                   preprocess: per_image($a.latency_ms.preprocess.total; $b.latency_ms.preprocess.total),
                   inference: per_image($a.latency_ms.inference.total; $b.latency_ms.inference.total)}
                  + {indexing: per_image(node($n0).indices.indexing.index_time_in_millis; node($n1).indices.indexing.index_time_in_millis)}),
   # over this run only: the node's own mean_size also counts the warm-up
   mean_batch: (if ($b.batches.count // 0) > ($a.batches.count // 0)
                then (($b.embeddings.image - $a.embeddings.image) / ($b.batches.count - $a.batches.count) * 10 | round / 10)
                else "n/a" end)}
