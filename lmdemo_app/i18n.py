"""Every label, help text, status line and message of the app in English and Chinese.

The page follows the browser's language, and Gradio's own footer (Settings → Language) switches it
live. ``t(key)`` marks a label for the browser to translate; `STRINGS` holds both languages side by
side so a missing translation is visible in review, and `check_complete` fails a test when one is empty.

Text computed on the server (status lines, table headers, chart titles, error messages) comes from
``text(key, **values)`` in the visitor's language. The browser tells it through `language_input`, a
hidden box whose value the browser itself translates to ``en`` or ``zh`` (and re-translates on a live
switch); handlers take it as their last argument, ``language``, and `checks.user_errors` makes it the
language of everything ``text`` returns while the handler runs.

Gradio's page translates any label or value that equals a key of its table, so the keys it is given
carry a prefix no text of the app or of a visitor takes (``lmdemo_``), and choices are (label, value)
pairs (`choices`): a translated label never becomes the value a handler receives.
"""

import contextvars

import gradio as gr

# key: (English, 中文)
STRINGS = {
    # page
    "title": ("# lmdemo: how language models work",
              "# lmdemo：语言模型如何工作"),
    "intro": ("A language model predicts the next token from the tokens before it. Generate text, look inside the "
              "Transformer, compare models, evaluate them, check text for personal data, or train your own small "
              "model. Language: Settings (page footer) → Language.",
              "语言模型根据前面的词元预测下一个词元。在这里可以生成文本、查看 Transformer 内部、比较模型、评测模型、"
              "检查文本中的个人信息，或训练你自己的小模型。切换语言：页面底部的“设置”→“语言”。"),
    "no_models": ("No shipped model is present in `models/`: the tabs that need one are empty.",
                  "`models/` 中没有可用的模型：需要模型的标签页暂时为空。"),
    # shared
    "language_code": ("en", "zh"),  # the value of `language_input` as the browser translates it
    "error_title": ("Error", "出错了"),
    # messages (str.format fields: name is the handler's parameter, as the API documents it)
    "err_not_text": ("{name} must be text, received {type}", "{name} 必须是文本，收到的是 {type}"),
    "err_empty": ("{name} is empty: type some text first", "{name} 为空：请先输入文本"),
    "err_too_long": ("{name} has {count:,} characters; the limit here is {limit:,}",
                     "{name} 有 {count:,} 个字符；这里的上限是 {limit:,}"),
    "err_no_lines": ("{name} has no words: type at least one sentence", "{name} 没有内容：请至少输入一句"),
    "err_too_many_lines": ("{name} has {count} lines; give at most {limit} at a time",
                           "{name} 有 {count} 行；一次最多 {limit} 行"),
    "err_whole_number": ("{name} must be a whole number in {bounds}, received {name}={value}",
                         "{name} 必须是 {bounds} 范围内的整数，收到 {name}={value}"),
    "err_not_number": ("{name} must be a number in {bounds}, received {name}={value}",
                       "{name} 必须是 {bounds} 范围内的数字，收到 {name}={value}"),
    "err_range": ("{name} must be in {bounds}, received {name}={value}", "{name} 必须在 {bounds} 范围内，收到 {name}={value}"),
    "err_choice": ("{name} must be one of {choices}, received {name}={value}",
                   "{name} 必须是 {choices} 之一，收到 {name}={value}"),
    "err_no_file": ("{name}: no file was uploaded", "{name}：没有上传文件"),
    "err_suffix": ("{name} must be one of {suffixes}, received {file}", "{name} 必须是 {suffixes} 之一，收到 {file}"),
    "err_file_size": ("{name} has {size:,} bytes; the limit here is {limit:,}",
                      "{name} 有 {size:,} 字节；这里的上限是 {limit:,}"),
    "err_internal": ("Something went wrong on the server; its log has the details.", "服务器出错了；详细信息已记入服务器日志。"),
    "err_library": ("{message}", "输入有误（以下为英文原文）：{message}"),
    "err_hub_wrong_task": ("{name} is a {task} model ({kind}); here it takes {wanted}",
                           "{name} 是 {task} 模型（{kind}）；这里需要{wanted}"),
    "wanted_task": ("a {task} model", " {task} 模型"),
    "wanted_kinds": ("a {task} model of kind {kinds}", "类型为 {kinds} 的 {task} 模型"),
    "err_hub_kind": ("{name} is a {kind} model; this app reads {supported} models from the Hub",
                     "{name} 是 {kind} 模型；本应用只从 Hub 读取 {supported} 模型"),
    "err_hub_size": ("{name} has about {size:,} weights; this app loads Hub models of at most {limit:,} "
                     "($LMDEMO_APP_MAX_HUB_PARAMS)",
                     "{name} 约有 {size:,} 个权重；本应用加载的 Hub 模型至多 {limit:,} 个权重（$LMDEMO_APP_MAX_HUB_PARAMS）"),
    "hub_downloading": ("{name}: downloading about {megabytes:,.0f} MB and building it; the first time this takes a "
                        "minute or more", "{name}：正在下载约 {megabytes:,.0f} MB 并构建模型；首次使用需要一分钟或更久"),
    "model": ("Model", "模型"),
    "hub_hint": ("or type a Hugging Face GPT-2 id, e.g. hf:openai-community/gpt2 (downloaded on first use)",
                 "或输入 Hugging Face 上的 GPT-2 模型名，如 hf:openai-community/gpt2（首次使用时下载）"),
    "hub_hint_bert": ("or type a Hugging Face BERT classifier id (hf:OWNER/NAME; downloaded on first use)",
                      "或输入 Hugging Face 上的 BERT 分类模型名（hf:OWNER/NAME，首次使用时下载）"),
    "models": ("Models", "模型"),
    "seed": ("Seed (-1: random)", "随机种子（-1 表示随机）"),
    "max_new_tokens": ("Max new tokens", "最多生成的词元数"),
    "prompt": ("Prompt", "提示词"),
    "text": ("Text", "文本"),
    "run": ("Run", "运行"),
    "model_info": ("About the model", "模型信息"),
    "examples": ("Examples", "示例"),
    "model_summary": ("**{name}** ({kind}): {about}; {params:,} parameters.", "**{name}**（{kind}）：{about}；{params:,} 个参数。"),
    # model descriptions: English pages show lm.describe() itself; these English lines say what the Chinese says
    "about_transformer": ("A decoder-only Transformer (GPT-style, pre-{norm}): {layers} layers, {heads} heads, width "
                          "{width}, feed-forward {hidden} ({activation}), {position} positions, context {context} tokens",
                          "仅解码器的 Transformer（GPT 式，前置 {norm}）：{layers} 层，{heads} 个注意力头，宽 {width}，"
                          "前馈层 {hidden}（{activation}），{position} 位置编码，上下文 {context} 个词元"),
    "about_recurrent": ("A recurrent {cell} language model: {layers} layers with a {width}-wide state, no context "
                        "window (the state carries everything read)",
                        "循环 {cell} 语言模型：{layers} 层，状态宽 {width}，没有上下文窗口（状态携带读过的一切）"),
    "about_ngram": ("A {order}-gram model with interpolated modified Kneser-Ney smoothing (Chen & Goodman)",
                    "{order}-gram 模型，插值修正 Kneser-Ney 平滑（Chen & Goodman）"),
    # generate
    "tab_generate": ("Generate", "生成"),
    "generate_help": ("Pick a model and a sampler; the continuation streams in as it is produced. The chart shows "
                      "the next token after the prompt as the chosen sampler sees it: the probability each token is "
                      "drawn with, and in grey the tokens that temperature, top-k or top-p cut off.",
                      "选择模型和采样方法，续写内容会边生成边显示。图表显示所选采样方法眼中提示词之后的下一个词元："
                      "每个词元被抽中的概率，灰色的是被温度、top-k 或 top-p 截掉的词元。"),
    "example_prompts": ("Example prompts for this model", "适合此模型的示例提示词"),
    "same_seed_note": ("With one seed every sampler makes the same random draw at each step (the token whose logit "
                       "plus random noise is largest). Top-k and top-p only remove tokens, so they change the text "
                       "only at a step where that draw would have picked a token they cut off; when the model is "
                       "sure of itself this may never happen, and Temperature and Top-k give the same text.",
                       "同一个随机种子下，每种采样方法在每一步做的是同一次随机抽取（logit 加随机噪声后最大的词元）。"
                       "Top-k 和 top-p 只会去掉词元，所以只有当这次抽取本会选中被去掉的词元时，文本才会不同；"
                       "模型很有把握时这可能从不发生，于是“温度”和“Top-k”生成的文本相同。"),
    "stop": ("Stop", "停止"),
    "steps": ("Steps", "步数"),
    "step_through": ("Step through", "逐步查看"),
    "step_through_help": ("**Step through**: generate token by token and see, for each step, the top candidates with "
                          "their probability under the model → under the sampler (“cut”: removed), and the "
                          "token picked. For beam search, the beams and their total log probabilities.",
                          "**逐步查看**：逐个词元生成，并查看每一步的候选词元：模型给出的概率 → 采样方法下的概率"
                          "（“cut”表示被去掉），以及最终选中的词元。束搜索则显示每一步的各条束及其总对数概率。"),
    "beam_chart_title": ("beam search draws nothing: it keeps the most probable continuations (the model's "
                         "probabilities)", "束搜索不做随机抽取：它保留最可能的续写（模型的概率）"),
    "sampler": ("Sampler", "采样方法"),
    "sampler_settings": ("Sampler settings", "采样参数"),
    "temperature": ("Temperature", "温度"),
    "sampler_greedy": ("greedy", "贪心"),
    "sampler_temperature": ("temperature", "温度采样"),
    "sampler_top_k": ("top-k", "top-k"),
    "sampler_top_p": ("top-p", "top-p"),
    "sampler_beam": ("beam search", "束搜索"),
    "sampler_chart_title": ("{sampler}: keeps {kept:,} of {total:,} tokens,<br>{mass:.3f} of the probability after "
                            "temperature {temperature:g}",
                            "{sampler}：保留 {total:,} 个词元中的 {kept:,} 个，<br>占温度 {temperature:g} 之后概率的 {mass:.3f}"),
    "cut": ("cut", "截掉"),
    "curve_train": ("train", "训练"),
    "curve_validation": ("validation", "验证"),
    "nats_per_token": ("nats per token", "每词元奈特"),
    "col_step": ("step", "步"),
    "col_picked": ("picked", "选中"),
    "col_model_sampler": ("model → sampler", "模型 → 采样"),
    "col_kept_mass": ("kept mass", "保留的概率"),
    "col_beam": ("beam {n}", "束 {n}"),
    "drawn_from": ("drawn from", "参与抽取"),
    "cut_off": ("cut off", "被截掉"),
    "sampling_hover": ("model {model:.4f}<br>after temperature {tempered:.4f}<br>drawn with {drawn:.4f}",
                       "模型 {model:.4f}<br>温度之后 {tempered:.4f}<br>抽取概率 {drawn:.4f}"),
    "top_k": ("Top-k", "Top-k"),
    "top_p": ("Top-p", "Top-p"),
    "num_beams": ("Beams", "束宽"),
    "generate": ("Generate", "生成"),
    "continuation": ("Continuation", "续写"),
    "next_token_chart": ("Next-token probabilities after the prompt", "提示词之后下一个词元的概率"),
    # inside the transformer
    "tab_inside": ("Inside the Transformer", "Transformer 内部"),
    "inside_help": ("Type a short text and follow one forward pass step by step, with the model's real numbers. "
                    "Tables show the first dimensions of each vector; pick the layer, the head and the query "
                    "position to look at (each change re-runs). Below: the logit lens (what every layer would "
                    "predict) and heads you can switch off. Only Transformers are listed: recurrent and n-gram "
                    "models have no attention to look at.",
                    "输入一小段文本，一步步查看一次前向计算，所有数字都来自模型本身。表格只显示每个向量的前几维；"
                    "可以选择要查看的层、注意力头和查询位置（每次改动都会重新计算）。下方是 logit lens（每一层会预测"
                    "什么）以及可以关闭的注意力头。这里只列出 Transformer：循环网络和 n-gram 模型没有注意力可看。"),
    "inside_limit": ("At most 32 tokens are read (for a character model, 32 characters); a longer text is cut "
                     "to its first 32 and the page says so.",
                     "最多读取 32 个词元（字符模型即 32 个字符）；更长的文本只读取前 32 个，页面会注明。"),
    "query_position": ("Query position", "查询位置"),
    "query_position_info": ("0 = the first token; past the end = the last token",
                            "0 为第一个词元；超出末尾即最后一个词元"),
    "export_html": ("Download this view (HTML)", "下载此视图（HTML）"),
    "export_file": ("This view as one HTML file", "此视图的 HTML 文件"),
    "step_query": ("5b. One query's attention: how much the chosen position takes from each earlier token",
                   "5b. 单个查询的注意力：所选位置从之前每个词元取多少"),
    "step_lens": ("9. Logit lens: the residual stream after the embeddings and after every block, read out through "
                  "the final LayerNorm and the output layer. Each cell is the most probable next token at that "
                  "depth; the last row is the model's own prediction.",
                  "9. Logit lens：把嵌入之后和每个模块之后的残差流，经过最后的 LayerNorm 和输出层读出。"
                  "每个格子是该深度下最可能的下一个词元；最后一行就是模型自己的预测。"),
    "lens_table": ("The logit lens's top tokens, every cell", "Logit lens 每个格子的前几个词元"),
    "step_ablate": ("10. Switch heads off: each ticked head's output is set to zero before W_o. Compare the "
                    "next-token distribution and the bits per character on a sample text, or rank every head by "
                    "what switching it off alone costs.",
                    "10. 关闭注意力头：勾选的头在 W_o 之前输出被置为零。比较下一个词元的分布和样例文本上的"
                    "每字符比特数，或按单独关闭每个头的代价给所有头排序。"),
    "heads_off": ("Heads to switch off (layer, head)", "要关闭的注意力头（层，头）"),
    "heads_off_info": ("pick from the list or type labels such as L1 H2", "从列表中选择，或输入 L1 H2 这样的标签"),
    "ablate_sample": ("Sample text for bits per character", "用于计算每字符比特数的样例文本"),
    "ablate": ("Switch off", "关闭"),
    "find_heads": ("Find the heads that matter", "找出重要的注意力头"),
    "layer": ("Layer", "层"),
    "head": ("Head", "注意力头"),
    "show": ("Show the numbers", "显示数字"),
    "step_tokens": ("1. Tokens and their ids", "1. 词元及其编号"),
    "step_embeddings": ("2. Token embedding + position embedding = input vector", "2. 词元向量 + 位置向量 = 输入向量"),
    "step_qkv": ("3. Queries, keys and values of the chosen head: Q = X W_q, K = X W_k, V = X W_v",
                 "3. 所选注意力头的查询、键和值：Q = X W_q，K = X W_k，V = X W_v"),
    "queries": ("Q (queries)", "Q（查询）"),
    "keys": ("K (keys)", "K（键）"),
    "values": ("V (values)", "V（值）"),
    "step_scores": ("4. Scores Q Kᵀ / √d_k (before the causal mask)", "4. 分数 Q Kᵀ / √d_k（因果掩码之前）"),
    "step_weights": ("5. Attention weights softmax(Q Kᵀ / √d_k), causal: a token sees only itself and earlier ones",
                     "5. 注意力权重 softmax(Q Kᵀ / √d_k)，因果：每个词元只能看到自己和之前的词元"),
    "step_combined": ("6. Heads combined: concat(head₁ … head_h) W_o (the attention block's output)",
                      "6. 合并各头：concat(head₁ … head_h) W_o（注意力模块的输出）"),
    "step_ffn": ("7. Feed-forward: linear layer, then ReLU or GELU (first units of the hidden layer)",
                 "7. 前馈层：线性层，再经过 ReLU 或 GELU（隐藏层的前几个单元）"),
    "step_logits": ("8. Logits → softmax: the most probable next tokens after the last position",
                    "8. logits → softmax：最后一个位置之后最可能的下一个词元"),
    "formulas": ("The formulas", "公式"),
    "no_transformer": ("No shipped Transformer model is present.", "没有可用的 Transformer 模型。"),
    "note_rope": ("This model adds no position vector (its position rows are zero): RoPE rotates each query and "
                  "key by angles proportional to the token's position, so Q Kᵀ depends on how far apart two tokens "
                  "are.",
                  "这个模型不加位置向量（位置那几行为零）：RoPE 按词元位置成比例的角度旋转每个查询和键，"
                  "所以 Q Kᵀ 取决于两个词元相隔多远。"),
    "err_inside_empty": ("text is empty: type a few words to look inside the model", "text 为空：请输入几个词来查看模型内部"),
    "note_inside_cut": ("The text has {count} tokens; this view reads the first {limit}: {shown}.",
                        "这段文本有 {count} 个词元；此视图只读取前 {limit} 个：{shown}。"),
    "err_head_label": ("heads must be labels such as 'L1 H2' (layers 1…{layers}, heads 1…{heads}), received {label}",
                       "heads 必须是 'L1 H2' 这样的标签（层 1…{layers}，头 1…{heads}），收到 {label}"),
    "err_sample_empty": ("sample is empty: give a text to measure bits per character on", "sample 为空：请给出用于计算每字符比特数的文本"),
    "err_heads_empty": ("heads is empty: tick at least one head to switch off", "heads 为空：请至少勾选一个要关闭的头"),
    "col_position": ("position", "位置"),
    "col_token": ("token", "词元"),
    "col_probability": ("probability", "概率"),
    "col_layer": ("layer", "层"),
    "col_head": ("head", "头"),
    "col_zeros": ("{activation}: zeros", "{activation}：零的个数"),
    "col_bpc_change": ("change in bits per character", "每字符比特数的变化"),
    "where_layer_head": ("layer {layer}, head {head}", "第 {layer} 层，第 {head} 个头"),
    "query_at": ("query {label}", "查询 {label}"),
    "the_last_token": (" (the last token)", "（最后一个词元）"),
    "attention_weight": ("attention weight", "注意力权重"),
    "query_title": ("{query} attends to, {where}", "{query} 关注的位置，{where}"),
    "row_embeddings": ("embeddings", "嵌入"),
    "row_block": ("block {n}", "第 {n} 个模块"),
    "lens_hover": ("{row}, after {label}<br>", "{row}，{label} 之后<br>"),
    "lens_title": ("logit lens: the most probable next token after each layer", "logit lens：每一层之后最可能的下一个词元"),
    "every_head": ("every head", "所有头"),
    "without_heads": ("without {names}", "去掉 {names}"),
    "ablate_title": ("next token after the text, without {names}", "去掉 {names} 后文本之后的下一个词元"),
    "ablate_summary": ("**Switched off: {names}.** Bits per character on the sample text: {before:.4f} → {after:.4f} "
                       "({change:+.4f}). Most probable next token: `{top_before}` {p_before:.3f} → `{top_after}` "
                       "{p_after:.3f}.",
                       "**已关闭：{names}。** 样例文本的每字符比特数：{before:.4f} → {after:.4f}（{change:+.4f}）。"
                       "最可能的下一个词元：`{top_before}` {p_before:.3f} → `{top_after}` {p_after:.3f}。"),
    "effects_title": ("each head switched off alone (all heads: {base:.4f} bits per character)",
                      "单独关闭每个头（全部开启时：每字符 {base:.4f} 比特）"),
    # tokenizers
    "tab_tokenizers": ("Tokenizers", "分词器"),
    "tokenizers_help": ("Each tokenizer is trained on the text itself (and each shipped model brings its own), then "
                        "splits it. Equal tokens have equal colours.",
                        "每个分词器先在这段文本上训练（每个已发布模型也带有自己的分词器），再对文本进行切分。"
                        "相同的词元颜色相同。"),
    "bpe_vocab": ("BPE vocabulary size", "BPE 词表大小"),
    "tokenize": ("Tokenize", "分词"),
    "char_tokens": ("Character tokenizer", "字符分词器"),
    "bpe_tokens": ("Byte-level BPE tokenizer", "字节级 BPE 分词器"),
    "word_tokens": ("Word tokenizer", "词分词器"),
    "token_counts": ("Token counts", "词元数量"),
    "shipped_tokenizer": ("A shipped model's tokenizer", "已发布模型的分词器"),
    "trained_here": ("trained on this text", "在这段文本上训练"),
    "tokenizer_of": ("{model}'s tokenizer", "{model} 的分词器"),
    "no_model": ("(no model chosen)", "（未选择模型）"),
    "bytes_label": ("{count} bytes: {ids}", "{count} 个字节：{ids}"),
    "bpe_smaller": ("{size:,} (asked {asked:,}: this text has no more pairs to merge)",
                    "{size:,}（要求 {asked:,}：这段文本已没有可合并的字节对）"),
    "col_tokenizer": ("tokenizer", "分词器"),
    "col_vocabulary": ("vocabulary", "词表大小"),
    "col_token_count": ("tokens", "词元数"),
    "col_chars_per_token": ("characters per token", "每词元字符数"),
    # compare
    "tab_compare": ("Compare models", "比较模型"),
    "compare_help": ("Score one text with every selected model (perplexity per token and bits per character: lower "
                     "is better; bits per character compare models with different tokenizers), and continue one "
                     "prompt with each.",
                     "用所选的每个模型给同一段文本打分（每个词元的困惑度和每个字符的比特数：越低越好；每字符比特数可以"
                     "比较分词器不同的模型），并用每个模型续写同一个提示词。"),
    "compare": ("Compare", "比较"),
    "scores": ("Scores", "分数"),
    "bits_chart": ("Bits per character (lower is better)", "每字符比特数（越低越好）"),
    "generations": ("Generations side by side", "各模型的续写"),
    "compare_unknown_note": ("**Unknown tokens**: the share of the text a model's tokenizer turns into `<unk>`. Such a "
                             "model scores one cheap `<unk>` for every word it never saw, so its bits per character "
                             "say little: it is marked “—” and left out of the ranking.",
                             "**未知词元**：模型的分词器把文本中多大比例变成了 `<unk>`。这样的模型对每个没见过的词只需"
                             "预测一个代价很低的 `<unk>`，它的每字符比特数说明不了什么：标为“—”，不参与排名。"),
    "err_no_models": ("models is empty: choose at least one model to compare", "models 为空：请至少选择一个要比较的模型"),
    "not_ranked": ("— (reads <unk>)", "—（含 <unk>）"),
    "col_rank": ("rank", "排名"),
    "col_model": ("model", "模型"),
    "col_bpc": ("bits per character", "每字符比特数"),
    "col_unknown": ("unknown tokens", "未知词元"),
    "col_ppl": ("perplexity per token", "每词元困惑度"),
    "col_tokens": ("tokens scored", "计分词元数"),
    "col_params": ("parameters", "参数量"),
    "col_kind": ("kind", "类型"),
    "col_continuation": ("continuation", "续写"),
    "col_text": ("text", "文本"),
    "col_label": ("label", "标签"),
    "col_score": ("score", "分数"),
    "col_truncated": ("truncated", "被截断"),
    "col_unseen": ("unknown to the model", "模型未见过的比例"),
    "unseen_flag": (" ⚠ never learned: a guess", " ⚠ 模型没学过：只是猜测"),
    "note_unseen_lines": ("⚠ Line(s) {lines} are mostly text the model never learned (it was trained on English); "
                          "their output is invented.", "⚠ 第 {lines} 行大部分是模型没学过的文本（它只在英语上训练过）；其输出是编造的。"),
    "note_unseen_text": ("⚠ {share:.0%} of the dialogue is text the model never learned (it was trained on English "
                         "chats); the summary is invented.",
                         "⚠ 对话中 {share:.0%} 是模型没学过的文本（它只在英语对话上训练过）；摘要是编造的。"),
    "col_expert_alone": ("{expert} alone", "仅 {expert}"),
    "col_type": ("type", "类型"),
    "col_count": ("count", "数量"),
    "note_lines_cut": ("Line(s) {lines} were longer than the model reads; only their start was translated.",
                       "第 {lines} 行超出了模型能读的长度；只翻译了开头部分。"),
    "note_dialogue_cut": ("The dialogue was longer than the model reads; only its start was summarized.",
                          "对话超出了模型能读的长度；只对开头部分做了摘要。"),
    "err_line_past_end": ("line is {line}, and the text has {count} line(s)", "line 为 {line}，但文本只有 {count} 行"),
    "err_no_translation": ("line {line} has no translation yet: press Translate first",
                           "第 {line} 行还没有译文：请先点击“翻译”"),
    "err_no_summary": ("summary is empty: press Summarize first", "summary 为空：请先点击“生成摘要”"),
    "err_no_types": ("types is empty: choose at least one type of personal data to look for",
                     "types 为空：请至少选择一种要查找的个人信息类型"),
    "mean_of_heads": ("mean of the heads", "各头平均"),
    "every_head_mean": ("every head, mean", "所有头的平均"),
    "head_n": ("head {n}", "第 {n} 个头"),
    "cross_attention_title": ("cross-attention, decoder layer {layer}, {head}: row = the step writing it",
                              "交叉注意力，解码器第 {layer} 层，{head}：每行是写出该词元的那一步"),
    "copy_row": ("{label} (copy {copy:.2f})", "{label}（复制 {copy:.2f}）"),
    "copy_title": ("copy attention: where each step would copy from (copy = 1 − p_gen)",
                   "复制注意力：每一步会从哪里复制（复制 = 1 − p_gen）"),
    "operator_placeholder": ("placeholder <TYPE>", "占位符 <TYPE>"),
    "operator_mask": ("mask ****", "掩码 ****"),
    "operator_pseudonym": ("pseudonym", "假名"),
    "operator_remove": ("remove", "删除"),
    "operator_surrogate": ("surrogate (realistic fake)", "替身（逼真的假数据）"),
    # evaluate
    "tab_evaluate": ("Evaluate", "评测"),
    "evaluate_help": ("Upload a CSV, TSV, JSONL or TXT file, or pick a built-in sample, then choose the task. Every "
                      "text passes the PII sanitizer before a model, a metric or a report sees it. Language-model "
                      "perplexity needs a model. BLEU, ROUGE and accuracy score a prediction column against the "
                      "references; leave the prediction column empty and the chosen model translates, summarizes "
                      "or classifies the file's sources first.",
                      "上传 CSV、TSV、JSONL 或 TXT 文件，或选择内置样例，然后选择任务。"
                      "所有文本在进入模型、指标或报告之前都会先经过个人信息清理。"
                      "语言模型困惑度需要选择模型；BLEU、ROUGE 和准确率用预测列与参考答案比较；"
                      "预测列留空时，先由所选模型对文件中的原文进行翻译、摘要或分类。"),
    "eval_model_info": ("Language models for perplexity; for the other tasks, the model that predicts when no "
                        "prediction column is given",
                        "困惑度使用语言模型；其他任务在未给出预测列时由该模型生成预测"),
    "upload": ("Data file", "数据文件"),
    "sample": ("…or a built-in sample", "……或内置样例"),
    "task": ("Task", "任务"),
    "metrics": ("Metrics", "指标"),
    "columns": ("Columns (empty: the task's defaults)", "列名（留空则使用任务默认值）"),
    "text_column": ("Text column", "文本列"),
    "source_column": ("Source column (what a translation or summarization model reads)", "原文列（翻译或摘要模型读取的内容）"),
    "reference_column": ("Reference column", "参考答案列"),
    "prediction_column": ("Prediction column", "预测列"),
    "label_column": ("Label column", "标签列"),
    "limit": ("Rows to use (at most)", "最多使用的行数"),
    "ci": ("Bootstrap 95% confidence intervals", "自助法 95% 置信区间"),
    "evaluate": ("Evaluate", "评测"),
    "eval_status": ("Result", "结果"),
    "eval_chart": ("Scores with 95% intervals", "分数及 95% 置信区间"),
    "reports": ("Reports (HTML, Markdown, JSON)", "报告（HTML、Markdown、JSON）"),
    "eval_rows": ("Every row: its prediction, reference and own score (sanitized)", "每一行：预测、参考答案及其单独得分（已清理）"),
    "task_lm": ("language model (perplexity)", "语言模型（困惑度）"),
    "task_translation": ("translation", "翻译"),
    "task_summarization": ("summarization", "摘要"),
    "task_sentiment": ("sentiment", "情感分析"),
    "task_poem": ("poems (form of the Tang poems)", "诗（唐诗的诗体）"),
    "task_bias": ("data-bias probe (no file: the model alone)", "数据偏差探针（无需文件，只需模型）"),
    "metric_perplexity": ("perplexity", "困惑度"),
    "metric_bias": ("largest gap between groups", "组间最大差距"),
    "bias_status_line": ("**{header}** · data-bias probe of **{model}** · {score} of {sentences} sentences ({templates} "
                         "templates, each filled for every group) · {seconds} s · significant gaps (Holm-adjusted p < "
                         "0.05): {significant}.",
                         "**{header}** · **{model}** 的数据偏差探针 · {sentences} 个句子的 {score}（{templates} 个模板，"
                         "每个模板为每组填写）· {seconds} 秒 · 显著差距（Holm 校正后 p < 0.05）：{significant}。"),
    "col_dimension": ("dimension", "维度"),
    "col_higher": ("higher group", "较高组"),
    "col_lower": ("lower group", "较低组"),
    "col_gap": ("gap", "差距"),
    "col_significant": ("significant", "显著"),
    "metric_bleu": ("BLEU (sacrebleu)", "BLEU（sacrebleu）"),
    "metric_rouge": ("ROUGE", "ROUGE"),
    "metric_sentiment_accuracy": ("accuracy and macro F1", "准确率和宏平均 F1"),
    "metric_poem_form": ("form: lines, characters per line, punctuation", "诗体：行数、每行字数、标点"),
    "err_no_metrics": ("metrics is empty: choose one of {metrics} for task={task}",
                       "metrics 为空：请为 task={task} 选择 {metrics} 之一"),
    "err_wrong_metrics": ("metrics {wrong} do not fit task={task}; choose from {metrics}",
                          "指标 {wrong} 不适用于 task={task}；请从 {metrics} 中选择"),
    "err_source_column": ("source_column={column} does not apply to task={task}: its model reads text_column "
                          "(default {default})",
                          "source_column={column} 不适用于 task={task}：该任务的模型读取 text_column（默认 {default}）"),
    "err_task_model": ("model_name must be one of {names} for task={task} (or name a prediction_column to score "
                       "predictions already in the file), received model_name={model}",
                       "task={task} 的 model_name 必须是 {names} 之一（或指定 prediction_column 来评测文件中已有的预测），"
                       "收到 model_name={model}"),
    "err_no_data": ("no data: upload a CSV, TSV, JSONL or TXT file, or pick a built-in sample",
                    "没有数据：请上传 CSV、TSV、JSONL 或 TXT 文件，或选择内置样例"),
    "err_lm_too_big": ("data file has {size:,} bytes; perplexity here scores at most {limit:,}",
                       "数据文件有 {size:,} 字节；这里的困惑度最多评测 {limit:,} 字节"),
    "err_missing_column": ("the file has no column {column} ({role}); its columns are {columns}",
                           "文件里没有列 {column}（{role}）；它的列为 {columns}"),
    "err_run_failed": ("The evaluation failed, nothing was scored: {error}", "评测失败，没有得到任何分数：{error}"),
    "progress_predicting": ("sanitizing, predicting and scoring", "正在清理、预测和评分"),
    "progress_scoring": ("sanitizing and scoring", "正在清理和评分"),
    "none": ("none", "无"),
    "scored_file": ("{file}", "{file}"),
    "scored_lm": (": the text in column “{column}” read by **{model}**", "：由 **{model}** 读取列“{column}”中的文本"),
    "scored_column": (": the predictions in column “{column}” against “{reference}”",
                      "：列“{column}”中的预测对照“{reference}”"),
    "scored_model": (": predictions made now by **{model}**", "：由 **{model}** 现场生成的预测"),
    "note_inputs_cut": (" ({count} input(s) were longer than the model reads; only their start was used)",
                        "（{count} 条输入超出了模型能读的长度，只使用了开头部分）"),
    "note_summary_cap": (" (a model summarizes at most {limit} rows here)", "（这里模型最多摘要 {limit} 行）"),
    "eval_status_line": ("**{header}** · task {task} · {rows} rows · {seconds} s · scored {what} · metrics {metrics} · "
                         "personal data replaced before scoring: {pii}.",
                         "**{header}** · 任务 {task} · {rows} 行 · {seconds} 秒 · 评测对象 {what} · 指标 {metrics} · "
                         "评分前替换的个人信息：{pii}。"),
    # privacy
    "tab_privacy": ("Privacy", "隐私"),
    "privacy_help": ("Paste text: personal data is highlighted by type, and replaced by the chosen operator. "
                     "Nothing you paste is logged or stored.",
                     "粘贴文本：个人信息会按类型高亮，并按所选方式替换。你粘贴的内容不会被记录或保存。"),
    "operator": ("Operator", "替换方式"),
    "types": ("Types to look for", "要查找的类型"),
    "sanitize": ("Find and replace", "查找并替换"),
    "found": ("Personal data found", "找到的个人信息"),
    "sanitized": ("Sanitized text", "清理后的文本"),
    "counts": ("Counts per type", "各类型数量"),
    # the applications
    "task_model_missing": ("The shipped model for this task is missing from `models/`.",
                           "`models/` 中缺少此任务的模型。"),
    "num_beams": ("Beams", "束宽"),
    "beams_info": ("1 = greedy decoding; more = beam search", "1 为贪心解码；更大为束搜索"),
    "tab_translate": ("Translate", "翻译"),
    "translate_help": ("English → Spanish or Chinese (choose the model), one sentence per line, by encoder–decoder "
                       "Transformers trained here on Tatoeba sentence pairs: the encoder reads the whole sentence, the "
                       "decoder writes the translation one token at a time while attending to it (cross-attention). "
                       "Tatoeba's Chinese mixes simplified and traditional characters, and so does the model's: "
                       "choose a script to convert its output.",
                       "英语 → 西班牙语或中文（选择模型），每行一句。模型是在 Tatoeba 句对上训练的编码器–解码器 Transformer："
                       "编码器读完整个句子，解码器逐个词元写出译文，并通过交叉注意力关注原句。Tatoeba 的中文简繁混杂，"
                       "模型的译文也是如此：可以选择字形来转换输出。"),
    "cross_attention_help": ("**Cross-attention**: for the chosen line, where the decoder looked in the English "
                             "sentence while it wrote each token of the translation (rows: the step that wrote the "
                             "token; each row sums to 1).",
                             "**交叉注意力**：对所选的那一行，解码器写出译文的每个词元时在英语句子中看向哪里"
                             "（每行是写出该词元的那一步；每行之和为 1）。"),
    "line": ("Line", "行"),
    "english": ("English", "英语"),
    "spanish": ("Spanish", "西班牙语"),
    "translation": ("Translation", "译文"),
    "translate": ("Translate", "翻译"),
    "tab_summarize": ("Summarize", "摘要"),
    "summarize_help": ("Summarize a chat, one turn per line (\"Name: message\"). The abstractive model writes a new "
                       "text (trained on SAMSum; it can copy names from the dialogue, and never repeats three tokens "
                       "in a row); lead-3 copies the first three turns; TextRank copies the three most central turns. "
                       "Check what it says: it often pairs the right names with the wrong facts.",
                       "为一段对话写摘要，每行一轮（“名字: 消息”）。生成式模型会写出新的文本（在 SAMSum 上训练；"
                       "可以从对话中复制人名，且不会重复连续三个词元）；lead-3 复制前三轮；TextRank 复制最核心的三轮。"
                       "请核对内容：它常把正确的人名配上错误的事实。"),
    "summary_attention_help": ("**Where the abstractive model looked**: its cross-attention over the dialogue while "
                               "it wrote each summary token and, beside it, its copy attention: where it would copy "
                               "a token from, and how much of each token was copied rather than generated. The "
                               "extractive methods have no attention.",
                               "**生成式模型看向哪里**：它写出每个摘要词元时对对话的交叉注意力；旁边是复制注意力："
                               "它会从哪里复制词元，以及每个词元有多少是复制而非生成的。抽取式方法没有注意力。"),
    "dialogue": ("Dialogue", "对话"),
    "method": ("Method", "方法"),
    "summarize": ("Summarize", "生成摘要"),
    "summary": ("Summary", "摘要"),
    # names of outputs that show no label: the API (view_api, gradio_client, MCP) calls them by these
    "out_status": ("Status", "状态"),
    "out_note": ("Note", "说明"),
    "out_model_info": ("About the model", "模型简介"),
    "out_steps": ("The sampler, step by step", "采样器的每一步"),
    "out_embeddings": ("Token and position embeddings", "词元与位置嵌入"),
    "out_scores": ("Attention scores QKᵀ/√d", "注意力分数 QKᵀ/√d"),
    "out_weights": ("Attention weights", "注意力权重"),
    "out_query_row": ("The query position's attention", "查询位置的注意力"),
    "out_heads_combined": ("The heads combined (after W_o)", "多头合并（W_o 之后）"),
    "out_feed_forward": ("Feed-forward", "前馈网络"),
    "out_top_next": ("Most probable next tokens", "最可能的下一个词元"),
    "out_top_next_chart": ("Most probable next tokens, as a chart", "最可能的下一个词元（图）"),
    "out_lens": ("Logit lens", "逻辑透镜"),
    "out_lens_table": ("Logit lens, as a table", "逻辑透镜（表格）"),
    "out_ablate_summary": ("What switching heads off did", "关闭注意力头的效果"),
    "out_ablate_chart": ("Next-token probabilities with the heads off", "关闭注意力头后的下一个词元概率"),
    "out_head_effects": ("What each head is worth (bits per character)", "每个注意力头的作用（比特/字符）"),
    "out_head_effects_table": ("What each head is worth, as a table", "每个注意力头的作用（表格）"),
    "out_cross_attention": ("Cross-attention", "交叉注意力"),
    "out_copy_attention": ("Copy attention", "复制注意力"),
    "tab_poem": ("Poems", "唐诗"),
    "poem_help": ("A regulated Tang poem to your title, by a character-level Transformer trained here on 35,046 poems "
                  "of the 全唐詩 (traditional characters): a 絕句 has 4 lines, a 律詩 8, of 5 (五言) or 7 (七言) "
                  "characters, lines ending in ， and 。 in turn. The model reads the form and the title first, then "
                  "writes one character at a time. With the form kept, every character that would break the form "
                  "gets probability 0 before the draw; without it, you see how well the model learned the form.",
                  "根据你的题目写一首近体诗。模型是在本项目中用《全唐诗》35,046 首诗（繁体）训练的字符级 Transformer："
                  "绝句 4 行、律诗 8 行，每行 5 字（五言）或 7 字（七言），行末交替用“，”和“。”。模型先读诗体和题目，"
                  "再逐字写诗。勾选“保持诗体”时，会破坏诗体的字在抽样前概率被设为 0；不勾选时，可以看到模型自己学到了多少诗体。"),
    "poem_title": ("Title (simplified or traditional)", "题目（简体或繁体）"),
    "poem_form": ("Form", "诗体"),
    "poem_constrained": ("Keep the form", "保持诗体"),
    "poem_constrained_info": ("mask every character that would break the lines or their marks",
                              "屏蔽一切会破坏行数、字数或标点的字"),
    "script": ("Chinese script", "字形"),
    "script_model": ("as the model writes it", "按模型原样"),
    "script_simplified": ("simplified", "简体"),
    "script_traditional": ("traditional", "繁体"),
    "poem_write": ("Write", "写诗"),
    "poem": ("Poem", "诗"),
    "poem_form_kept": ("A {form}: {lines} lines, each of the right length.", "符合{form}：{lines} 行，每行字数正确。"),
    "poem_form_broken": ("Not a {form}: {lines} lines, or lines of the wrong length (the form was left to the model).",
                         "不符合{form}：共 {lines} 行，或有的行字数不对（诗体交给了模型自己）。"),
    "tab_sentiment": ("Sentiment", "情感分析"),
    "sentiment_help": ("Is a sentence positive or negative? One sentence per line; a Transformer encoder trained on "
                       "SST-2 movie-review phrases reads each one in both directions and gives P(label). Where the "
                       "model has a second expert (a logistic regression on word pairs), the two probabilities are "
                       "multiplied and renormalized; the table shows each expert alone.",
                       "句子是正面还是负面？每行一句；在 SST-2 影评短语上训练的 Transformer 编码器双向读取每句，"
                       "给出各标签的概率。若模型带有第二个专家（基于词对的逻辑回归），两者的概率相乘后重新归一化；"
                       "表格列出每个专家单独的结果。"),
    "sentences": ("Sentences", "句子"),
    "classify": ("Classify", "分类"),
    "first_line": ("First line", "第一行"),
    "every_line": ("Every line", "每一行"),
    # history
    "tab_history": ("History", "历史"),
    "history_help": ("Every evaluation run is recorded (the Evaluate tab's and `python -m evals run`'s): its scores, "
                     "settings and per-item statistics; the app's runs without their texts. Pick a run name to "
                     "chart its scores over time; give two run ids to compare them item by item (paired bootstrap; "
                     "exact McNemar for accuracy). p < 0.05: the difference is unlikely to be chance on this data.",
                     "每次评测都会被记录（评测标签页和 `python -m evals run` 的运行）：分数、设置和逐项统计；"
                     "本应用的运行不保存文本。选择一个运行名称可查看其分数随时间的变化；输入两个运行编号可逐项比较"
                     "（配对自助法；准确率用精确 McNemar 检验）。p < 0.05：在这份数据上，差异不太可能是偶然的。"),
    "history_run_name": ("Run name (chart, filter)", "运行名称（图表、筛选）"),
    "history_refresh": ("Refresh", "刷新"),
    "history_runs": ("Recorded runs (newest first; click a header to sort)", "已记录的运行（最新在前；点击表头排序）"),
    "history_chart": ("Scores over time", "分数随时间变化"),
    "history_chart_title": ("Scores of the runs named {name}", "名为 {name} 的运行的分数"),
    "history_run_a": ("Run id A", "运行编号 A"),
    "history_run_b": ("Run id B", "运行编号 B"),
    "history_compare": ("Compare", "比较"),
    "history_comparison": ("A against B, score by score", "A 与 B 逐项分数比较"),
    "history_differences": ("Items whose scores differ most", "分数差异最大的条目"),
    "history_compare_status": ("A = run {a} ({a_run}, model {a_model}); B = run {b} ({b_run}, model {b_model}); "
                               "{rows} items.",
                               "A = 运行 {a}（{a_run}，模型 {a_model}）；B = 运行 {b}（{b_run}，模型 {b_model}）；"
                               "共 {rows} 条。"),
    "history_not_compared": ("Not compared: {metrics}.", "未比较：{metrics}。"),
    "col_id": ("id", "编号"),
    "col_time": ("time (UTC)", "时间（UTC）"),
    "col_run": ("run", "运行"),
    "col_task": ("task", "任务"),
    "col_status": ("status", "状态"),
    "col_rows": ("rows", "行数"),
    "col_scores": ("scores", "分数"),
    "col_ci": ("95% interval of A − B", "A − B 的 95% 区间"),
    "col_test": ("test", "检验"),
    "col_row": ("row", "行"),
    "col_reference": ("reference", "参考答案"),
    "col_prediction": ("prediction", "预测"),
    "err_history_db": ("The run-history database cannot be used ({reason}); the server's log has the details.",
                       "无法使用运行历史数据库（{reason}）；详细信息已记入服务器日志。"),
    "err_run_id": ("{name} must be a run id from the table (a whole number), received {name}={value}",
                   "{name} 必须是表格中的运行编号（整数），收到 {name}={value}"),
    "err_unknown_run_id": ("{name}: no run has id {value}; the table lists the ids",
                           "{name}：没有编号为 {value} 的运行；表格中列出了所有编号"),
    # train
    "tab_train": ("Train", "训练"),
    "train_help": ("Train a small model on your text (pasted or a .txt file) within the step and time caps; the "
                   "loss curve updates as it trains. The model lives only in this browser session; its files are "
                   "deleted as soon as training ends.",
                   "在你的文本（粘贴或上传 .txt 文件）上训练一个小模型，受步数和时间上限约束；"
                   "训练时损失曲线会实时更新。"
                   "模型只保存在当前浏览器会话中，训练结束后其文件会立即删除。"),
    "train_text": ("Training text", "训练文本"),
    "train_file": ("…or a .txt file", "……或 .txt 文件"),
    "model_type": ("Model type", "模型类型"),
    "start_from": ("Start from", "起点"),
    "start_from_info": ("a new model of the type above, or a Transformer to fine-tune (shipped, or a Hugging Face "
                        "GPT-2 id typed in: hf:openai-community/gpt2); it trains on windows of 64 tokens",
                        "上面所选类型的新模型，或一个要微调的 Transformer（内置模型，或输入 Hugging Face 上的 GPT-2 模型名："
                        "hf:openai-community/gpt2）；以 64 个词元为窗口训练"),
    "steps": ("Steps (at most)", "最多训练步数"),
    "max_seconds": ("Time limit (seconds)", "时间上限（秒）"),
    "train": ("Train", "训练"),
    "train_status": ("Progress", "进度"),
    "loss_chart": ("Loss (nats per token)", "损失（每词元奈特）"),
    "trained_generate": ("Generate with the trained model", "用训练好的模型生成"),
    "model_type_transformer": ("Transformer", "Transformer"),
    "model_type_lstm": ("LSTM", "LSTM"),
    "model_type_rnn": ("RNN", "RNN"),
    "model_type_ngram": ("n-gram (counted)", "n-gram（计数）"),
    "new_model": ("a new model", "新模型"),
    "err_not_utf8": ("{name} is not UTF-8 text (byte offset {offset})", "{name} 不是 UTF-8 文本（字节偏移 {offset}）"),
    "err_too_short": ("{name} has {count:,} characters; give at least {least:,}",
                      "{name} 只有 {count:,} 个字符；至少需要 {least:,} 个"),
    "err_trainer_busy": ("the trainer is still busy with an earlier run; try again in a minute",
                         "训练器还在处理之前的任务；请过一分钟再试"),
    "err_no_trained_model": ("no trained model in this session: train one first", "本会话中还没有训练好的模型：请先训练"),
    "status_step": ("step {step} / {steps}", "第 {step} / {steps} 步"),
    "status_train_loss": ("train loss {loss:.4f}", "训练损失 {loss:.4f}"),
    "status_val_loss": ("validation loss {loss:.4f}", "验证损失 {loss:.4f}"),
    "status_starting": ("{kind}: starting (the first step compiles the model)…", "{kind}：正在开始（第一步要编译模型）……"),
    "status_counting": ("{kind}: counting the n-grams, then scoring the last 10% of the text…",
                        "{kind}：正在统计 n-gram，然后在文本最后 10% 上打分……"),
    "status_done": ("**Done** in {seconds:.1f} s: {done}. {about}; {params:,} parameters.",
                    "**完成**，用时 {seconds:.1f} 秒：{done}。{about}；{params:,} 个参数。"),
}

LANGUAGES = ("en", "zh")
PREFIX = "lmdemo_"  # the keys as the page sees them (see the module docstring)
_language = contextvars.ContextVar("lmdemo_app_language", default="en")


def _table(index):
    return {PREFIX + key: pair[index] for key, pair in STRINGS.items()}


# "zh" covers every Chinese locale (zh-CN, zh-TW, ...) through the browser's fallback; "zh-CN" is
# listed as well because that is the code Gradio's language menu sets.
I18N = gr.I18n(en=_table(0), zh=_table(1), **{"zh-CN": _table(1)})


def t(key):
    """The translatable string ``key`` (raises KeyError for an unknown key, so typos fail at import)."""
    if key not in STRINGS:
        raise KeyError(f"no UI string named {key!r}")
    return I18N(PREFIX + key)


# the Chinese script an output is converted to (lmdemo.data.chinese_script): value, label key
SCRIPT_CHOICES = (("", "script_model"), ("simplified", "script_simplified"), ("traditional", "script_traditional"))


def choices(pairs):
    """Radio/dropdown choices ``[(translated label, value), ...]`` from ``[(value, label key), ...]``."""
    return [(t(key), value) for value, key in pairs]


def language_of(value):
    """``"zh"`` for any Chinese locale code (``zh``, ``zh-CN``, ``zh-TW``), else ``"en"`` (also for the
    untranslated placeholder an API caller that leaves ``language`` out sends)."""
    return "zh" if str(value or "").strip().lower().startswith("zh") else "en"


def use_language(value):
    """Make ``value`` (a locale code) the language of `text` in this context; returns ``"en"`` or ``"zh"``."""
    language = language_of(value)
    _language.set(language)
    return language


def current_language():
    """The language `text` uses now: ``"en"`` unless a handler's ``language`` argument said otherwise."""
    return _language.get()


def text(key, language=None, **values):
    """The plain string ``key`` in ``language`` (default: `current_language`), with ``values`` filled in
    (``str.format``): for text computed on the server."""
    language = current_language() if language is None else language
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, received language={language!r}")
    if key not in STRINGS:
        raise KeyError(f"no UI string named {key!r}")
    template = STRINGS[key][LANGUAGES.index(language)]
    return template.format(**values) if values else template


def language_input():
    """The hidden box that tells handlers the visitor's language: its value is a translatable string the
    page turns into ``en`` or ``zh``. Pass it as every event's last input (the handler's ``language``)."""
    return gr.Textbox(value=t("language_code"), visible="hidden", elem_id="page-language")


def check_complete():
    """Keys whose English or Chinese string is empty (an empty list when every string is translated)."""
    return [key for key, pair in STRINGS.items() if len(pair) != 2 or not all(s.strip() for s in pair)]
