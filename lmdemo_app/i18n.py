"""Every label and help text of the app in English and Chinese, served through ``gr.I18n``.

The page follows the browser's language, and Gradio's own footer (Settings → Language) switches it
live. ``t(key)`` marks a string for translation; `STRINGS` holds both languages side by side so a
missing translation is visible in review, and `check_complete` fails a test when one is empty.
"""

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
    "translate_help": ("English → Spanish, one sentence per line, by an encoder–decoder Transformer trained here on "
                       "Tatoeba sentence pairs: the encoder reads the whole sentence, the decoder writes Spanish one "
                       "token at a time while attending to it (cross-attention).",
                       "英语 → 西班牙语，每行一句。模型是在 Tatoeba 句对上训练的编码器–解码器 Transformer："
                       "编码器读完整个句子，解码器逐个词元写出西班牙语，并通过交叉注意力关注原句。"),
    "cross_attention_help": ("**Cross-attention**: for the chosen line, where the decoder looked in the English "
                             "sentence while it wrote each Spanish token (rows: the step that wrote the token; "
                             "each row sums to 1).",
                             "**交叉注意力**：对所选的那一行，解码器写出每个西班牙语词元时在英语句子中看向哪里"
                             "（每行是写出该词元的那一步；每行之和为 1）。"),
    "line": ("Line", "行"),
    "english": ("English", "英语"),
    "spanish": ("Spanish", "西班牙语"),
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
}

LANGUAGES = ("en", "zh")


def _table(index):
    return {key: pair[index] for key, pair in STRINGS.items()}


# "zh" covers every Chinese locale (zh-CN, zh-TW, ...) through the browser's fallback; "zh-CN" is
# listed as well because that is the code Gradio's language menu sets.
I18N = gr.I18n(en=_table(0), zh=_table(1), **{"zh-CN": _table(1)})


def t(key):
    """The translatable string ``key`` (raises KeyError for an unknown key, so typos fail at import)."""
    if key not in STRINGS:
        raise KeyError(f"no UI string named {key!r}")
    return I18N(key)


def text(key, language="en"):
    """The plain string ``key`` in ``language`` (for text computed on the server)."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, received language={language!r}")
    return STRINGS[key][LANGUAGES.index(language)]


def check_complete():
    """Keys whose English or Chinese string is empty (an empty list when every string is translated)."""
    return [key for key, pair in STRINGS.items() if len(pair) != 2 or not all(s.strip() for s in pair)]
