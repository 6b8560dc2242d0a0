<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
  <context>
    <name>Lesson</name>
    <message>
      <source>Next-token prediction</source>
      <translation>Predicción del siguiente token</translation>
    </message>
    <message>
      <source>Before looking, let the class guess the next word, and type each guess in the Quiz panel. Press Reveal (Space in presenter mode) to see how likely the model found each one.</source>
      <translation>Antes de mirar, deja que la clase adivine la siguiente palabra y escribe cada conjetura en el panel Quiz. Pulsa Revelar (Espacio en modo presentador) para ver qué probabilidad le dio el modelo a cada una.</translation>
    </message>
    <message>
      <source>Which word comes after “The cat sat on the”?</source>
      <translation>¿Qué palabra viene después de “The cat sat on the”?</translation>
    </message>
    <message>
      <source>Every token gets a probability</source>
      <translation>Cada token recibe una probabilidad</translation>
    </message>
    <message>
      <source>A language model does one thing: given the text so far, it gives every token in its vocabulary (49,152 of them here) a probability of coming next. After "The cat sat on the" this model does not insist on " mat": " cat" gets about 7 %, " moon" 5 %, " cou" 4 %, and thousands of other tokens share the rest. Click a bar to append that token and watch the whole distribution change.</source>
      <translation>Un modelo de lenguaje hace una sola cosa: dado el texto hasta ahora, da a cada token de su vocabulario (aquí son 49,152) una probabilidad de ser el siguiente. Después de "The cat sat on the", este modelo no se empeña en " mat": " cat" recibe un 7 % aproximadamente, " moon" un 5 %, " cou" un 4 %, y miles de tokens más se reparten el resto. Haz clic en una barra para añadir ese token y observa cómo cambia toda la distribución.</translation>
    </message>
    <message>
      <source>The loop: predict, pick, append, repeat</source>
      <translation>El bucle: predecir, elegir, añadir, repetir</translation>
    </message>
    <message>
      <source>At temperature 0 the model always takes its most likely token. Guess which one it is before pressing Step, and Reveal to score the guesses.</source>
      <translation>Con temperatura 0, el modelo siempre elige su token más probable. Adivina cuál es antes de pulsar Paso, y pulsa Revelar para puntuar las conjeturas.</translation>
    </message>
    <message>
      <source>“Once upon a time, there was a little …” what comes next?</source>
      <translation>“Once upon a time, there was a little …”: ¿qué viene después?</translation>
    </message>
    <message>
      <source>Predict, pick, append</source>
      <translation>Predecir, elegir, añadir</translation>
    </message>
    <message>
      <source>Text generation is next-token prediction in a loop: predict a distribution, pick one token, append it, and run again with the longer text. Press Step (Ctrl+Right) to do one turn by hand, or Generate (Ctrl+Return) to repeat until the model picks an end-of-text token or the limit is reached. With temperature 0 it always takes the top token: here " girl" (38 %) beats " town" (23 %).</source>
      <translation>Generar texto es predecir el siguiente token en bucle: predecir una distribución, elegir un token, añadirlo y volver a ejecutar con el texto más largo. Pulsa Paso (Ctrl+Right) para dar una vuelta a mano, o Generar (Ctrl+Return) para repetir hasta que el modelo elija un token de fin de texto o se alcance el límite. Con temperatura 0 siempre elige el token más probable: aquí " girl" (38 %) gana a " town" (23 %).</translation>
    </message>
    <message>
      <source>Embeddings: words as points</source>
      <translation>Embeddings: palabras como puntos</translation>
    </message>
    <message>
      <source>Each word is a list of 576 numbers, and cosine similarity says how closely two lists point the same way: 1 for the same direction, 0 for unrelated. Guess the cosine of " king" and " queen", then Reveal.</source>
      <translation>Cada palabra es una lista de 576 números, y la similitud coseno dice hasta qué punto dos listas apuntan en la misma dirección: 1 si es la misma dirección, 0 si no tienen relación. Adivina el coseno de " king" y " queen", y luego pulsa Revelar.</translation>
    </message>
    <message>
      <source>From −1 to 1: how similar are “king” and “queen” to the model?</source>
      <translation>De −1 a 1: ¿cuánto se parecen “king” y “queen” para el modelo?</translation>
    </message>
    <message>
      <source>Words as points</source>
      <translation>Palabras como puntos</translation>
    </message>
    <message>
      <source>Before anything else the model turns each token into a list of 576 numbers, its embedding. Tokens used in similar ways get similar lists: the cosine similarity of " king" and " queen" is 0.62, of " king" and " apple" only 0.16 (pick the pair in Compare). The map squeezes 576 dimensions into two, so trust the neighbour list, which is computed in all of them.</source>
      <translation>Antes que nada, el modelo convierte cada token en una lista de 576 números: su embedding. Los tokens que se usan de forma parecida reciben listas parecidas: la similitud coseno de " king" y " queen" es 0.62, y la de " king" y " apple", solo 0.16 (elige el par en Comparar). El mapa comprime 576 dimensiones en dos, así que fíate de la lista de vecinos, que se calcula con todas ellas.</translation>
    </message>
    <message>
      <source>Attention: which words does "it" look at?</source>
      <translation>Atención: ¿a qué palabras mira "it"?</translation>
    </message>
    <message>
      <source>Read the sentence aloud and ask: what does "it" mean here? Type the words the class names (animal, road, …), then Reveal the attention of " it".</source>
      <translation>Lee la frase en voz alta y pregunta: ¿qué significa aquí "it"? Escribe las palabras que diga la clase (animal, road, …) y luego pulsa Revelar para ver la atención de " it".</translation>
    </message>
    <message>
      <source>Which earlier word does “it” look at most in layer 13, head 8?</source>
      <translation>¿A qué palabra anterior mira más “it” en la capa 13, cabeza 8?</translation>
    </message>
    <message>
      <source>Attention resolves “it”</source>
      <translation>La atención resuelve “it”</translation>
    </message>
    <message>
      <source>Attention lets each token gather information from the tokens before it. In layer 13, head 8 of this model, " it" puts about three quarters of its attention on " animal" and almost none on " road": this head has worked out what "it" refers to. Hover the other tokens or pick another head: most heads do something else.</source>
      <translation>La atención permite a cada token reunir información de los tokens anteriores. En la capa 13, cabeza 8 de este modelo, " it" pone unas tres cuartas partes de su atención en " animal" y casi nada en " road": esta cabeza ha averiguado a qué se refiere "it". Pasa el ratón por los otros tokens o elige otra cabeza: la mayoría de las cabezas hacen otra cosa.</translation>
    </message>
    <message>
      <source>Multi-head attention: many patterns at once</source>
      <translation>Atención multicabeza: muchos patrones a la vez</translation>
    </message>
    <message>
      <source>Every layer has 9 attention heads, and each learns its own habit: some look at the previous token, some at the very first token (an "attention sink" where unused attention is parked), a few follow meaning, like layer 13, head 8 linking " it" to " animal". The overview shows all 30 x 9 = 270 heads; click a tile to open one, and see Head statistics to sort the heads by habit.</source>
      <translation>Cada capa tiene 9 cabezas de atención, y cada una aprende su propia costumbre: unas miran al token anterior, otras al primerísimo token (un "sumidero de atención" donde se aparca la atención que no se usa) y unas pocas siguen el significado, como la capa 13, cabeza 8, que une " it" con " animal". La vista general muestra las 30 x 9 = 270 cabezas; haz clic en un recuadro para abrir una, y mira Estadísticas de cabezas para ordenar las cabezas por costumbre.</translation>
    </message>
    <message>
      <source>The whole pipeline</source>
      <translation>El proceso completo</translation>
    </message>
    <message>
      <source>The class surely knows the answer; the question is how sure the model is. Type the guesses and Reveal to see each one's probability and rank.</source>
      <translation>Seguro que la clase sabe la respuesta; la pregunta es cuán seguro está el modelo. Escribe las conjeturas y pulsa Revelar para ver la probabilidad y el puesto de cada una.</translation>
    </message>
    <message>
      <source>What comes after “The capital of France is”?</source>
      <translation>¿Qué viene después de “The capital of France is”?</translation>
    </message>
    <message>
      <source>Layer by layer</source>
      <translation>Capa a capa</translation>
    </message>
    <message>
      <source>Tokenize, embed, run through 30 layers (Lesson 16 opens one of them), predict, sample, repeat. The tokenization panel shows the five tokens the model reads. The logit lens asks each layer "what would you predict if you had to stop here?": " Paris" is nowhere near the top in the early layers and wins only at the very end, where the next-token panel gives it 77 %.</source>
      <translation>Tokenizar, convertir en embeddings, pasar por 30 capas (la lección 16 abre una de ellas), predecir, muestrear, repetir. El panel Tokenización muestra los cinco tokens que lee el modelo. La lente de logits le pregunta a cada capa "¿qué predecirías si tuvieras que parar aquí?": " Paris" no se acerca ni de lejos a los primeros puestos en las primeras capas y solo gana al final del todo, donde el panel Siguiente token le da un 77 %.</translation>
    </message>
    <message>
      <source>Temperature and top-p</source>
      <translation>Temperatura y top-p</translation>
    </message>
    <message>
      <source>Temperature reshapes the distribution before a token is drawn: 0 always takes the top token, 1 keeps the model's own odds (" girl" 38 %, " town" 23 %), 0.5 sharpens them (" girl" 72 %) and 1.5 flattens them (" girl" 10 %). Top-p 0.7 then keeps only the most likely tokens that together hold 70 % of the probability, here just 5 of 49,152: the grey bars are cut. Move the sliders; the model does not run again.</source>
      <translation>La temperatura remodela la distribución antes de sacar un token: 0 siempre elige el token más probable, 1 mantiene las probabilidades propias del modelo (" girl" 38 %, " town" 23 %), 0.5 las agudiza (" girl" 72 %) y 1.5 las aplana (" girl" 10 %). Después, top-p 0.7 se queda solo con los tokens más probables que juntos suman el 70 % de la probabilidad, aquí solo 5 de 49,152: las barras grises quedan fuera. Mueve los deslizadores; el modelo no vuelve a ejecutarse.</translation>
    </message>
    <message>
      <source>Why models miscount letters</source>
      <translation>Por qué los modelos cuentan mal las letras</translation>
    </message>
    <message>
      <source>The model never sees letters, only tokens. Before the tokens are shown, guess how many pieces the word " strawberry" becomes in this question, then Reveal.</source>
      <translation>El modelo nunca ve letras, solo tokens. Antes de mostrar los tokens, adivina en cuántos trozos se convierte la palabra " strawberry" en esta pregunta, y luego pulsa Revelar.</translation>
    </message>
    <message>
      <source>Into how many tokens does the model cut “ strawberry” (with its space)?</source>
      <translation>¿En cuántos tokens corta el modelo “ strawberry” (con su espacio)?</translation>
    </message>
    <message>
      <source>One word, one token</source>
      <translation>Una palabra, un token</translation>
    </message>
    <message>
      <source>The model never sees letters, only token ids: in this question " strawberry" is one single token, so how many r's it holds has to be remembered, not read. Nothing in the token's id says it has three r's.</source>
      <translation>El modelo nunca ve letras, solo ids de tokens: en esta pregunta, " strawberry" es un único token, así que cuántas erres tiene es algo que debe recordar, no leer. Nada en el id del token dice que tenga tres erres.</translation>
    </message>
    <message>
      <source>Without the space</source>
      <translation>Sin el espacio</translation>
    </message>
    <message>
      <source>At the start of a text the word has no leading space, and that is a different string to the tokenizer. Guess again, then Reveal.</source>
      <translation>Al comienzo de un texto, la palabra no lleva espacio delante, y para el tokenizador esa es una cadena distinta. Vuelve a adivinar y luego pulsa Revelar.</translation>
    </message>
    <message>
      <source>And “strawberry” on its own, with no space before it: how many tokens?</source>
      <translation>Y “strawberry” sola, sin espacio delante: ¿cuántos tokens?</translation>
    </message>
    <message>
      <source>Pieces, not letters</source>
      <translation>Trozos, no letras</translation>
    </message>
    <message>
      <source>Without the leading space, "strawberry" splits into st | raw | berry, and still no token is a single letter. Type other words and watch where the pieces fall.</source>
      <translation>Sin el espacio inicial, "strawberry" se divide en st | raw | berry, y aun así ningún token es una sola letra. Escribe otras palabras y observa por dónde caen los cortes.</translation>
    </message>
    <message>
      <source>Long prompts dilute instructions</source>
      <translation>Los prompts largos diluyen las instrucciones</translation>
    </message>
    <message>
      <source>Attention is a fixed budget shared by every earlier token. With the instruction right before the question, the last token gives it about 20 % of its attention (mean of all heads, first token hidden); after 16 filler sentences only about 6 %, and " blue" (in English) creeps into the top three. Delete the filler sentences and compare.</source>
      <translation>La atención es un presupuesto fijo que se reparten todos los tokens anteriores. Con la instrucción justo antes de la pregunta, el último token le dedica cerca del 20 % de su atención (media de todas las cabezas, con el primer token oculto); tras 16 frases de relleno, solo un 6 % aproximadamente, y " blue" (en inglés) se cuela entre los tres primeros. Borra las frases de relleno y compara.</translation>
    </message>
    <message>
      <source>A chat is next-token prediction too</source>
      <translation>Un chat también es predicción del siguiente token</translation>
    </message>
    <message>
      <source>In chat mode your message is wrapped in the model's chat template: the tokenization panel shows the exact &lt;|im_start|&gt;user ... &lt;|im_end|&gt; tokens the model receives, ending with "&lt;|im_start|&gt;assistant" and a new line. Press Generate: the answer comes token by token like any other text, until the model produces &lt;|im_end|&gt;.</source>
      <translation>En modo chat, tu mensaje se envuelve en la plantilla de chat del modelo: el panel Tokenización muestra exactamente los tokens &lt;|im_start|&gt;user ... &lt;|im_end|&gt; que recibe el modelo, terminando con "&lt;|im_start|&gt;assistant" y un salto de línea. Pulsa Generar: la respuesta llega token a token como cualquier otro texto, hasta que el modelo produce &lt;|im_end|&gt;.</translation>
    </message>
    <message>
      <source>Why Paris? Attribution</source>
      <translation>¿Por qué Paris? Atribución</translation>
    </message>
    <message>
      <source>The attribution panel runs the prompt again without each token in turn: without " France", log p(" Paris") drops by 6.0 nats, without " capital" by 6.8 and without " is" by 9.8. Below, the same logit (17.4) is split by layer: layer 29's MLP adds +7.0 and layer 23's attention +3.3, most of it from head 23.4, which looks at " France".</source>
      <translation>El panel Atribución vuelve a ejecutar el prompt quitando cada vez un token: sin " France", log p(" Paris") baja 6.0 nats; sin " capital", 6.8, y sin " is", 9.8. Debajo, el mismo logit (17.4) se reparte por capas: el MLP de la capa 29 añade +7.0 y la atención de la capa 23, +3.3, casi todo procedente de la cabeza 23.4, que mira a " France".</translation>
    </message>
    <message>
      <source>Prompt engineering: a weak and a strong prompt</source>
      <translation>Ingeniería de prompts: un prompt débil y uno fuerte</translation>
    </message>
    <message>
      <source>A, the thin bars, is the bare request: " negative" gets only 13 % and the rest is spread over quotes, spaces and " No". B shows two examples first, and " negative" jumps to 93 % (KL 6.7 bits, total variation 0.81): the examples show the model the task and the format, and it is still only predicting the next token.</source>
      <translation>A, las barras finas, es la petición sin más: " negative" recibe solo un 13 % y el resto se reparte entre comillas, espacios y " No". B muestra antes dos ejemplos, y " negative" salta al 93 % (KL 6.7 bits, variación total 0.81): los ejemplos le enseñan al modelo la tarea y el formato, y aun así solo está prediciendo el siguiente token.</translation>
    </message>
    <message>
      <source>A diluted instruction stops mattering</source>
      <translation>Una instrucción diluida deja de importar</translation>
    </message>
    <message>
      <source>Each sentence is left out in turn, and its bar shows how much it raised the chance that the answer starts in French (" Le"). After 16 filler sentences, leaving out "Always answer in French." changes log p(" Le") by only -0.15 nats: the instruction no longer matters. Delete the filler sentences and its bar grows to +1.2 nats.</source>
      <translation>Se quita cada frase por turno, y su barra muestra cuánto aumentaba la probabilidad de que la respuesta empiece en francés (" Le"). Tras 16 frases de relleno, quitar "Always answer in French." cambia log p(" Le") solo en -0.15 nats: la instrucción ya no importa. Borra las frases de relleno y su barra crece hasta +1.2 nats.</translation>
    </message>
    <message>
      <source>Induction heads: knock them out and copying fails</source>
      <translation>Cabezas de inducción: anúlalas y la copia falla</translation>
    </message>
    <message>
      <source>A sequence of nonsense pairs is written once and then starts again. Ask the class what comes next, type their guesses and Reveal: can the model copy something it has seen only once?</source>
      <translation>Una secuencia de pares sin sentido se escribe una vez y luego vuelve a empezar. Pregunta a la clase qué viene después, escribe sus conjeturas y pulsa Revelar: ¿puede el modelo copiar algo que ha visto una sola vez?</translation>
    </message>
    <message>
      <source>The sequence repeats: which token comes after the second “w3”?</source>
      <translation>La secuencia se repite: ¿qué token viene después del segundo “w3”?</translation>
    </message>
    <message>
      <source>Knock out the copying heads</source>
      <translation>Anula las cabezas que copian</translation>
    </message>
    <message>
      <source>Seen once, a sequence is copied: the intact model (A, the thin bars) gives " r" 57 % after the second "w3". Head statistics (attention panel) ranks the heads that look at the token after an earlier occurrence: 18.6, 17.4, 17.3, 18.7 and 17.5, here knocked out (red tiles), and " r" falls to 2 %, rank 15. Right-click a tile to switch a head back on, or choose mean ablation.</source>
      <translation>Basta con ver una secuencia una vez para copiarla: el modelo intacto (A, las barras finas) da a " r" un 57 % tras el segundo "w3". Estadísticas de cabezas (panel Atención) ordena las cabezas que miran al token que sigue a una aparición anterior: 18.6, 17.4, 17.3, 18.7 y 17.5, aquí anuladas (recuadros rojos), y " r" cae al 2 %, puesto 15. Haz clic derecho en un recuadro para volver a activar una cabeza, o elige la anulación por la media.</translation>
    </message>
    <message>
      <source>What is the model paying attention to in a chat?</source>
      <translation>¿A qué presta atención el modelo en un chat?</translation>
    </message>
    <message>
      <source>Where the answer begins, the mean of all heads gives the user's message 53 % of the attention, the system message 17 % and the "assistant" line 27 % (attention panel, first token hidden). The attribution panel leaves each message out: without the user's message "The" loses 1.8 nats, without the system message it gains 1.0, and without the "assistant" line the model no longer knows it is its turn (18.7 nats).</source>
      <translation>Donde empieza la respuesta, la media de todas las cabezas da al mensaje del usuario el 53 % de la atención, al mensaje del sistema el 17 % y a la línea "assistant" el 27 % (panel Atención, con el primer token oculto). El panel Atribución quita cada mensaje: sin el mensaje del usuario, "The" pierde 1.8 nats; sin el mensaje del sistema, gana 1.0, y sin la línea "assistant" el modelo ya no sabe que le toca a él (18.7 nats).</translation>
    </message>
    <message>
      <source>Inside one layer</source>
      <translation>Dentro de una capa</translation>
    </message>
    <message>
      <source>Follow " is" through layer 23 with Next: the stream comes in with length 273.7 and RMSNorm divides it by 11.41; in step 4, head 4 scores every earlier token and its softmax puts 90 % of the weight on " France". The attention adds a vector of length 100.0, the MLP one of length 90.1, and the stream leaves with length 336.2, on its way to " Paris".</source>
      <translation>Sigue a " is" por la capa 23 con Siguiente: el flujo entra con longitud 273.7 y RMSNorm lo divide entre 11.41; en el paso 4, la cabeza 4 puntúa cada token anterior y su softmax pone el 90 % del peso en " France". La atención suma un vector de longitud 100.0, el MLP uno de longitud 90.1, y el flujo sale con longitud 336.2, camino de " Paris".</translation>
    </message>
    <message>
      <source>Sentences as vectors: cosine similarity</source>
      <translation>Frases como vectores: similitud coseno</translation>
    </message>
    <message>
      <source>A sentence encoder (all-MiniLM-L6-v2) reads a whole sentence and averages its tokens into one vector of 384 numbers. "How to deploy React" and "Deploying a React application" share one word, yet their cosine is 0.863; with "Best pizza in New York" it is 0.039 (the teaching text's "about 0.95 and 0.15" came from another encoder). Click a cell to see which words drive it: here "Deploying" adds 0.269 of the 0.863.</source>
      <translation>Un codificador de frases (all-MiniLM-L6-v2) lee una frase entera y promedia sus tokens en un solo vector de 384 números. "How to deploy React" y "Deploying a React application" comparten una sola palabra, y aun así su coseno es 0.863; con "Best pizza in New York" es 0.039 (los "unos 0.95 y 0.15" del texto didáctico venían de otro codificador). Haz clic en una celda para ver qué palabras pesan más: aquí "Deploying" aporta 0.269 de los 0.863.</translation>
    </message>
    <message>
      <source>Semantic search: meaning, not keywords</source>
      <translation>Búsqueda semántica: significado, no palabras clave</translation>
    </message>
    <message>
      <source>Search embeds the question and ranks all 77 built-in passages by the cosine of their vectors with it. The question never says "octopus", yet the octopus passage comes first with 0.597, far ahead of the blue whale with 0.311, and its words "hearts" and "octopus" add most. Search a folder of your own notes the same way.</source>
      <translation>La búsqueda calcula el embedding de la pregunta y ordena los 77 pasajes incluidos por el coseno de sus vectores con el de ella. La pregunta nunca dice "octopus", y aun así el pasaje del pulpo sale primero con 0.597, muy por delante del de la ballena azul con 0.311, y sus palabras "hearts" y "octopus" son las que más aportan. Busca del mismo modo en una carpeta con tus propias notas.</translation>
    </message>
    <message>
      <source>RAG: the answer is in the prompt</source>
      <translation>RAG: la respuesta está en el prompt</translation>
    </message>
    <message>
      <source>Alone, the model answers that the capital of Turkey is Istanbul, which is wrong; with the three passages search finds put into its chat prompt it answers "Ankara, not Istanbul". Leaving each passage out in turn, the Turkey passage costs the answer 1.67 nats and the others under 0.1, although the answer pays it less attention (7.9 %) than Canada's (11.4 %): attention shows where the model looks, attribution what it used. Show in the panels puts both prompts side by side.</source>
      <translation>Sin ayuda, el modelo responde que la capital de Turquía es Estambul, lo cual es falso; con los tres pasajes que encuentra la búsqueda metidos en su prompt de chat, responde "Ankara, not Istanbul". Al quitar cada pasaje por turno, el pasaje de Turquía le cuesta a la respuesta 1.67 nats y los demás menos de 0.1, aunque la respuesta le presta menos atención (7.9 %) que al de Canadá (11.4 %): la atención muestra adónde mira el modelo; la atribución, lo que ha usado. Mostrar en los paneles pone los dos prompts uno junto a otro.</translation>
    </message>
    <message>
      <source>Fine-tuning changes behaviour</source>
      <translation>El ajuste fino cambia el comportamiento</translation>
    </message>
    <message>
      <source>The model has never read about Zubrowka, so it has no answer: its most likely next tokens are " a" (15.3 %), " the" (13.9 %) and " not" (13.7 %).</source>
      <translation>El modelo nunca ha leído sobre Zubrowka, así que no tiene respuesta: sus siguientes tokens más probables son " a" (15,3 %), " the" (13,9 %) y " not" (13,7 %).</translation>
    </message>
    <message>
      <source>Zubrowka is a made-up country. What will the model say its capital is?</source>
      <translation>Zubrowka es un país inventado. ¿Qué dirá el modelo que es su capital?</translation>
    </message>
    <message>
      <source>Teach it</source>
      <translation>Enséñaselo</translation>
    </message>
    <message>
      <source>The examples say six ways that the capital of Zubrowka is Lutz, plus two capitals the model knows, so that it does not call every capital Lutz. Press Start: 20 steps train 2.4 million adapter numbers beside the model's 135 million, which stay as they are. The loss falls from 4.49 to 0.001 and the held-out check, a phrasing not among the examples, climbs from almost 0 to 0.999.</source>
      <translation>Los ejemplos dicen de seis maneras que la capital de Zubrowka es Lutz, más dos capitales que el modelo conoce, para que no llame Lutz a todas las capitales. Pulsa Empezar: 20 pasos entrenan 2,4 millones de números de adaptadores junto a los 135 millones del modelo, que no cambian. La pérdida baja de 4,49 a 0,001 y la comprobación reservada, una formulación que no está en los ejemplos, sube de casi 0 a 0,999.</translation>
    </message>
    <message>
      <source>After</source>
      <translation>Después</translation>
    </message>
    <message>
      <source>"Compare with the base" pins the base model's run as A and opens the variant: its bars are B, the dark ones A. The variant gives " L" (for " Lutz") 99.9 %.</source>
      <translation>"Comparar con la base" fija la ejecución del modelo base como A y abre la variante: sus barras son B, las oscuras A. La variante da " L" (de " Lutz") 99,9 %.</translation>
    </message>
    <message>
      <source>Press "Compare with the base" first. What does the fine-tuned model say now?</source>
      <translation>Pulsa primero "Comparar con la base". ¿Qué dice ahora el modelo ajustado?</translation>
    </message>
    <message>
      <source>What changed inside</source>
      <translation>Qué cambió por dentro</translation>
    </message>
    <message>
      <source>No weight moved by more than 3 % of its size (layer 0's value and output matrices most), and the heads grid shows which heads now attend differently. Fine-tuning also moves what it was not asked to: after "The cat sat on the" the next token's distribution moves by about 1 bit, and " Paris" after "The capital of France is" goes from 77 % to 99.6 %.</source>
      <translation>Ningún peso cambió más del 3 % de su tamaño (sobre todo las matrices de valores y de salida de la capa 0), y la cuadrícula de cabezas muestra cuáles atienden ahora de otra manera. El ajuste fino también mueve lo que no se le pidió: tras "The cat sat on the" la distribución del siguiente token cambia cerca de 1 bit, y " Paris" tras "The capital of France is" pasa del 77 % al 99,6 %.</translation>
    </message>
    <message>
      <source>Where is the fact stored?</source>
      <translation>¿Dónde se guarda el dato?</translation>
    </message>
    <message>
      <source>The model says " Paris" (65.6 %) here and " Rome" (84.9 %) after "The Colosseum is in the city of". Each cell of the heatmap runs the Colosseum prompt with one stream taken from the Eiffel run: at "iffel" it brings back 78 to 100 % of the answer in blocks 0 to 23, and from block 24 on only the last token " of" does (75 to 81 %).</source>
      <translation>El modelo dice " Paris" (65,6 %) aquí y " Rome" (84,9 %) tras "The Colosseum is in the city of". Cada celda del mapa de calor ejecuta el prompt del Coliseo con un flujo tomado de la ejecución de la Torre Eiffel: en "iffel" recupera del 78 al 100 % de la respuesta en los bloques 0 a 23, y a partir del bloque 24 solo lo hace el último token, " of" (del 75 al 81 %).</translation>
    </message>
    <message>
      <source>Which block moves it?</source>
      <translation>¿Qué bloque lo mueve?</translation>
    </message>
    <message>
      <source>Now only one block's attention output is taken from the Eiffel run. Block 23's attention at " of" alone brings back 66 % of the answer: that is where the fact travels from the subject to the last token. Click its cell to open that run in every panel.</source>
      <translation>Ahora solo se toma de la ejecución de la Torre Eiffel la salida de atención de un bloque. La atención del bloque 23 en " of" recupera por sí sola el 66 % de la respuesta: ahí es donde el dato viaja del sujeto al último token. Haz clic en su celda para abrir esa ejecución en todos los paneles.</translation>
    </message>
    <message>
      <source>Which head?</source>
      <translation>¿Qué cabeza?</translation>
    </message>
    <message>
      <source>Each head is patched at every token in turn. Head 4 of block 23 alone brings back 51 %, more than any other head; the next are heads 3.4 (31 %) and 1.0 (28 %).</source>
      <translation>Cada cabeza se parchea en cada token por turnos. La cabeza 4 del bloque 23 recupera por sí sola el 51 %, más que ninguna otra cabeza; le siguen las cabezas 3.4 (31 %) y 1.0 (28 %).</translation>
    </message>
    <message>
      <source>Steering a mood</source>
      <translation>Guiar un estado de ánimo</translation>
    </message>
    <message>
      <source>Without help the model's next words are " a" (7.5 %), " the" (6.4 %) and " right" (4.5 %). A direction for the mood is the difference of two streams: "I love you" minus "I hate you", read at hidden state 6.</source>
      <translation>Sin ayuda, las siguientes palabras del modelo son " a" (7,5 %), " the" (6,4 %) y " right" (4,5 %). Una dirección para el estado de ánimo es la diferencia de dos flujos: "I love you" menos "I hate you", leídos en el estado oculto 6.</translation>
    </message>
    <message>
      <source>Toward hate</source>
      <translation>Hacia el odio</translation>
    </message>
    <message>
      <source>Strength −2 adds the direction backwards to every token's stream: " just" climbs from 1.6 % to 10.2 % and " right" falls to 1.2 %. Press "Generate both": unsteered and steered continuations, with the same seed, side by side.</source>
      <translation>La intensidad −2 suma la dirección al revés al flujo de cada token: " just" sube del 1,6 % al 10,2 % y " right" baja al 1,2 %. Pulsa "Generar las dos": las continuaciones sin guiado y con guiado, con la misma semilla, una junto a otra.</translation>
    </message>
    <message>
      <source>Toward love</source>
      <translation>Hacia el amor</translation>
    </message>
    <message>
      <source>Strength +2: " right" 12.8 %, " a" 11.2 %, " absolutely" 5.6 %. Push the slider to ±4 and the text breaks (" not" 34 %, "," 14 %): a direction too long overwrites what the stream held.</source>
      <translation>Intensidad +2: " right" 12,8 %, " a" 11,2 %, " absolutely" 5,6 %. Lleva el deslizador a ±4 y el texto se rompe (" not" 34 %, "," 14 %): una dirección demasiado larga sobrescribe lo que contenía el flujo.</translation>
    </message>
    <message>
      <source>How does the question reach the answer?</source>
      <translation>¿Cómo llega la pregunta a la respuesta?</translation>
    </message>
    <message>
      <source>Each line is a share of a token's update in one block: grey, its own stream kept; orange, another token read through attention. Most of every update is the token's own stream; the strongest orange routes into " of" come from " city" in block 1 (16 %) and from "iffel" in block 23 (14 %), the block where patching found the fact moving.</source>
      <translation>Cada línea es una parte de la actualización de un token en un bloque: gris, su propio flujo conservado; naranja, otro token leído mediante la atención. La mayor parte de cada actualización es el propio flujo del token; las rutas naranjas más fuertes hacia " of" vienen de " city" en el bloque 1 (16 %) y de "iffel" en el bloque 23 (14 %), el bloque donde el parcheo vio moverse el dato.</translation>
    </message>
    <message>
      <source>Only the strong routes</source>
      <translation>Solo las rutas fuertes</translation>
    </message>
    <message>
      <source>At 10 % three routes through attention are left: " city" to " of" in blocks 1 and 9, and "iffel" to " of" in block 23. Click an orange line to open that layer's attention.</source>
      <translation>Con el umbral en el 10 % quedan tres rutas mediante la atención: de " city" a " of" en los bloques 1 y 9, y de "iffel" a " of" en el bloque 23. Haz clic en una línea naranja para abrir la atención de esa capa.</translation>
    </message>
  </context>
</TS>
