/**
 * The words that say a name follows (or precedes), in the ten languages Lotse speaks, with the
 * common spellings without accents and in Latin letters (Arabizi, Roman Urdu). Lower case: they
 * are matched without regard to case.
 */

/** After these comes a name, even written in lower case or in a script without capitals. */
export const SELF_INTRODUCTIONS = [
  'my name is', "my name's", 'my names is', 'my full name is', 'i am called', "i'm called", 'call me', 'name:',
  'ich heiße', 'ich heisse', 'mein name ist', 'mein name lautet', 'mein vorname ist', 'name ist',
  "je m'appelle", "j'm'appelle", 'je mappelle', 'mon nom est', "mon nom c'est", 'mon prénom est', "moi c'est", 'nom:',
  'me llamo', 'mi nombre es', 'mi nombre:',
  'اسمي', 'إسمي', 'أسمي', 'انا اسمي', 'أنا اسمي', 'اسمى', 'esmi', 'ismi', 'smiti', 'ana esmi', 'ana ismi',
  'میرا نام', 'مرا نام', 'میرا پورا نام', 'mera naam', 'mera name', 'mera nam', 'meri naam',
  'nama saya', 'nama aku', 'namaku', 'saya bernama', 'aku bernama', 'nama lengkap saya', 'nama sy',
  'quhem', 'emri im është', 'emri im eshte', 'emri im', 'unë quhem', 'une quhem',
  'zovem se', 'moje ime je', 'ime mi je', 'зовем се', 'моје име је', 'име ми је',
  'tên tôi là', 'tôi tên là', 'tên em là', 'em tên là', 'tên mình là', 'mình tên là', 'tên tôi', 'tôi tên', 'tên của tôi là',
  'ten toi la', 'toi ten la', 'em ten la', 'ten em la', 'minh ten la', 'ten minh la',
  // someone else's name
  'his name is', 'her name is', 'whose name is', 'son nom est', "il s'appelle", "elle s'appelle", "s'appelle", 'er heißt', 'sie heißt', 'er heisst', 'sie heisst', 'heißt', 'heisst',
  'se llama', 'su nombre es', 'namanya', 'namanya adalah', 'bernama', 'quhet', 'emri i tij është', 'emri i saj është', 'zove se', 'њено име је', 'његово име је', 'зове се',
  'اسمه', 'اسمها', 'إسمه', 'إسمها', 'اس کا نام', 'ان کا نام', 'ka naam', 'ki naam', 'tên anh ấy là', 'tên cô ấy là', 'tên là', 'ten la',
];

/** Titles: a capitalised word after them is a name ("Frau Öztürk", "Pak Budi", "chị Lan"). */
export const TITLES = [
  'mr', 'mr.', 'mrs', 'mrs.', 'ms', 'ms.', 'miss', 'dr', 'dr.', 'doctor', 'prof', 'prof.', 'sir', 'madam', 'mister',
  'herr', 'herrn', 'frau', 'fräulein',
  'm.', 'mme', 'mme.', 'mlle', 'monsieur', 'madame', 'mademoiselle',
  'sr.', 'sra.', 'srta.', 'señor', 'señora', 'señorita', 'don', 'doña',
  'bapak', 'pak', 'ibu', 'bu', 'mas', 'mbak', 'kak', 'bang', 'saudara', 'saudari',
  'zoti', 'zotin', 'zonja', 'zonjën', 'z.', 'znj.', 'gospodin', 'gospođa', 'gospodine', 'gospodina', 'g.', 'gđa', 'gđa.', 'господин', 'госпођа',
  'anh', 'chị', 'chi', 'em', 'ông', 'ong', 'bà', 'cô', 'chú', 'bạn', 'thầy', 'thay', 'tên',
  'named', 'nommé', 'nommée', 'namens', 'llamado', 'llamada',
  // thanks to, said to, met, asked, spoke with
  'thanks to', 'grâce à', 'grace a', 'gracias a', 'dank', 'falë', 'zahvaljujući',
  'spoke to', 'spoke with', 'talked to', 'talked with', 'speak to', 'call', 'ask', 'asked', 'met',
  'hablé con', 'me recomendó', 'me recomendo', 'recommended by', 'me dijo', 'hable con', 'parlé avec', 'parle avec', 'parlé à', 'demandé à',
  'razgovarao sam sa', 'razgovarala sam sa', 'razgovarao sa', 'razgovarala sa', 'разговарао сам са', 'разговарала сам са', 'разговарао са', 'fola me', 'fola me zotin', 'e pyeta', 'pyeta',
  'kalemt', 'kallemt', 'ketemu', 'ketemu dengan', 'tanya', 'gặp', 'hỏi',
];

/** Near a message's start only: "Hi Lotse, it's Nana Ama", "hier ist Ardit", "aquí Domingo". */
export const OPENINGS = ["it's", 'its', 'this is', 'here is', 'hier ist', "c'est", 'aquí', 'aqui', 'ovde', 'ovdje', 'ovde je', 'ici'];

/** Titles after which even a lower-case word is a name ("mr chinedu okoro"). */
export const STRONG_TITLES = ['mr', 'mr.', 'mrs', 'mrs.', 'ms.', 'dr.', 'herr', 'herrn', 'mme', 'mme.', 'monsieur', 'señor', 'señora', 'sr.', 'sra.', 'bapak', 'zoti', 'gospodin', 'господин', 'ông'];

/** "Khushi meri beti hai", "Amina is my sister", "Drita është motra ime": a name, then what it is to the asker. */
export const IS_MY = ['is my', 'was my', 'ist mein', 'ist meine', 'est mon', 'est ma', 'es mi', 'je moj', 'je moja', 'је мој', 'је моја', 'adalah', 'është', 'meri', 'mera', 'mere', 'là'];

/** Relations: a capitalised word after them is a name ("my brother Kofi", "mein Chef Weber", "Vëllai im Valon"). */
export const RELATIONS = [
  'brother', 'sister', 'wife', 'husband', 'son', 'daughter', 'mother', 'father', 'mom', 'mum', 'dad', 'cousin', 'uncle', 'aunt', 'brother-in-law', 'sister-in-law',
  'friend', 'friends', 'fiancé', 'fiancée', 'fiance', 'fiancee', 'boss', 'employer', 'colleague', 'colleagues', 'advisor', 'adviser', 'counsellor', 'counselor', 'teacher', 'neighbour', 'neighbor',
  'supervisor', 'manager', 'recruiter', 'agent', 'children', 'kids', 'family', 'partner', 'girlfriend', 'boyfriend',
  'bruder', 'schwester', 'mann', 'ehemann', 'ehefrau', 'sohn', 'tochter', 'mutter', 'vater', 'cousine', 'onkel', 'tante', 'freund', 'freundin', 'schwager', 'schwägerin',
  'verlobter', 'verlobte', 'chef', 'chefin', 'arbeitgeber', 'kollege', 'kollegin', 'berater', 'beraterin', 'lehrer', 'lehrerin', 'kinder', 'familie', 'ansprechpartner', 'ansprechpartnerin',
  'frère', 'frere', 'sœur', 'soeur', 'femme', 'mari', 'époux', 'épouse', 'epoux', 'epouse', 'fils', 'fille', 'mère', 'mere', 'père', 'pere',
  'oncle', 'ami', 'amie', 'patron', 'patronne', 'employeur', 'collègue', 'conseiller', 'conseillère', 'professeur', 'enfants', 'famille', 'beau-frère', 'belle-sœur', 'recruteur',
  'hermano', 'hermana', 'esposa', 'esposo', 'marido', 'mujer', 'hijo', 'hija', 'madre', 'padre', 'primo', 'prima', 'tío', 'tía', 'tio', 'tia', 'cuñado', 'cuñada', 'suegro', 'suegra',
  'amigo', 'amiga', 'novio', 'novia', 'jefe', 'jefa', 'empleador', 'asesor', 'asesora', 'profesor', 'profesora', 'hijos', 'familia', 'reclutador',
  'kakak', 'adik', 'istri', 'isteri', 'suami', 'anak', 'ayah', 'sepupu', 'paman', 'bibi', 'teman', 'om', 'majikan', 'atasan', 'keluarga',
  'vëllai', 'vellai', 'vëllain', 'motra', 'motrën', 'gruaja', 'bashkëshortja', 'burri', 'bashkëshorti', 'djali', 'vajza', 'nëna', 'babai', 'kushëriri', 'kushërira', 'shoku', 'shoqja', 'mik', 'shefi', 'mësuesja', 'mësuesi', 'familja',
  'vëllai im', 'vellai im', 'motra ime', 'gruaja ime', 'burri im', 'djali im', 'vajza ime', 'nëna ime', 'babai im', 'shoku im', 'shoqja ime', 'mësuesja ime', 'mësuesi im', 'kushëriri im', 'kushërira ime', 'shefi im',
  'brat', 'brata', 'sestra', 'sestru', 'žena', 'ženu', 'supruga', 'suprugu', 'muž', 'muža', 'suprug', 'sina', 'ćerka', 'ćerku', 'kćerka', 'kći', 'majka', 'mamu', 'otac', 'tatu', 'rođak', 'rođaka', 'ujak', 'stric', 'tetka', 'prijatelj', 'prijateljica', 'šef', 'poslodavac', 'porodica',
  'брат', 'брата', 'сестра', 'сестру', 'жена', 'жену', 'супруга', 'муж', 'мужа', 'супруг', 'син', 'сина', 'ћерка', 'ћерку', 'кћерка', 'мајка', 'отац', 'рођак', 'пријатељ', 'пријатељица', 'шеф', 'послодавац',
  'bhai', 'behen', 'bahan', 'beti', 'beta', 'biwi', 'shohar', 'ammi', 'abbu', 'dost', 'chacha', 'mamu', 'khala', 'baji',
  'anh trai', 'chị gái', 'em gái', 'em trai', 'vợ', 'chồng', 'con trai', 'con gái', 'bố', 'mẹ', 'bạn tôi', 'bạn em',
];

/**
 * Relations and titles in Arabic: the one word after them is a name, though the script has no
 * capitals, unless it is a function word or starts like a verb in the present ("أخي يعيش", my brother lives).
 */
export const ARABIC_CUES = [
  'السيد', 'السيدة', 'الأستاذ', 'الأستاذة', 'الاستاذ', 'الاستاذة', 'الدكتور', 'الدكتورة', 'الحاج', 'الحاجة', 'الشيخ',
  'أخي', 'اخي', 'أختي', 'اختي', 'زوجتي', 'زوجي', 'ابني', 'ابنتي', 'بنتي', 'أمي', 'امي', 'أبي', 'ابي', 'صديقي', 'صديقتي', 'عمي', 'خالي', 'عمتي', 'خالتي', 'أخوه', 'اخوه', 'أخته', 'كلمت', 'تحدثت مع', 'مع السيد',
];

/** Relations and titles in Urdu: the words after them, up to two, are a name (Urdu's verb comes last). */
export const URDU_CUES = [
  'جناب', 'محترم', 'محترمہ', 'ڈاکٹر', 'بیگم', 'مسٹر',
  'میرے بھائی', 'میرا بھائی', 'میری بہن', 'میری بیوی', 'میرے شوہر', 'میرا بیٹا', 'میری بیٹی', 'میری امی', 'میرے ابو', 'میرا دوست', 'میرے دوست', 'میرے ٹیچر', 'میرے استاد',
];

/** The family names most Vietnamese carry: with capitalised syllables after them, a full name. */
export const VIETNAMESE_SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Đinh', 'Trương', 'Mai', 'Trịnh', 'Đoàn', 'Lương', 'Nguyen', 'Tran', 'Pham', 'Hoang', 'Huynh', 'Dang', 'Bui', 'Duong', 'Truong'];

/**
 * "I am Kofi", "je suis Amina", "soy Lucía", "saya Budi", "unë jam Arben", "ja sam Marko", "tôi là An":
 * a capitalised word after them is a name unless it is a country, a language or a nationality.
 */
export const I_AM = ["i am", "i'm", 'je suis', 'soy', 'yo soy', 'saya', 'sy', 'aku', 'jam', 'unë jam', 'une jam', 'ja sam', 'ја сам', 'tôi là', 'em là', 'mình là', 'ana', 'ich bin'];
/** "Im" for "I'm", in English only ("im Januar" is German). */
export const I_AM_ENGLISH = ['im'];

/** "Kofi and I", "Fatou et moi", "Pilar y yo", "main aur Usman": a first person beside the name. */
export const AND_I = ['and i', 'and me', '& i', 'und ich', 'et moi', 'y yo', 'e io', 'dan saya', 'dan aku', 'dhe unë', 'dhe une', 'i ja', 'и ја', 'aur main', 'aur mein', 'và em', 'và tôi', 'với em', 'với tôi', 'w ana'];
export const I_AND = ['me and', 'i and', 'ich und', 'moi et', 'yo y', 'saya dan', 'aku dan', 'unë dhe', 'une dhe', 'une me', 'unë me', 'ja i', 'ја и', 'main aur', 'mein aur', 'em và', 'tôi và', 'ana w', 'ana we', 'ana wa'];

/** Said or told by someone: "Moussa told me", "Mercedes me dijo", "Dritan më tha". */
export const TOLD = [
  'told me', 'said', 'says', 'told', 'advised', 'recommended', 'suggested', 'wrote', 'explained',
  'hat mir gesagt', 'hat gesagt', 'sagt', 'meint', 'meinte', 'hat mir geraten', 'schreibt',
  "m'a dit", 'ma dit', "m'a conseillé", 'dit', 'a dit', 'pense',
  'me dijo', 'dijo', 'dice', 'me recomendó', 'me contó',
  'bilang', 'bilang ke saya', 'mengatakan', 'bilang kalau', 'kata',
  'më tha', 'me tha', 'tha', 'thotë', 'thote',
  'mi je rekla', 'mi je rekao', 'je rekla', 'je rekao', 'kaže', 'kaze', 'каже', 'ми је рекла', 'ми је рекао',
  'ne bataya', 'ne kaha', 'kehti', 'kehta', 'kehte', 'kehti hain', 'kehta hai',
  'bảo', 'nói', 'bao', 'noi',
];

/** After a name at a message's start: "Amina here", "Amal hier", "Gëzim këtu", "Zainab yahan hai". */
export const HERE = ['here', 'hier', 'ici', 'aquí', 'aqui', 'këtu', 'ketu', 'ovde', 'ovdje', 'yahan', 'di sini', 'disini', 'đây', 'here again'];

/** A line of greeting alone is no signature. */
export const GREETINGS = [
  'hi', 'hello', 'hey', 'dear', 'salam', 'salaam', 'assalamualaikum', 'assalamu alaikum', 'asalam', 'hallo', 'servus', 'moin', 'guten tag', 'bonjour', 'bonsoir', 'salut', 'coucou',
  'hola', 'buenas', 'buenos dias', 'halo', 'hai', 'pagi', 'selamat pagi', 'përshëndetje', 'pershendetje', 'tung', 'zdravo', 'pozdrav', 'ćao', 'cao', 'здраво', 'поздрав', 'ћао',
  'chào', 'xin chào', 'chao', 'thanks', 'thank you', 'merci', 'danke', 'gracias', 'terima kasih', 'faleminderit', 'hvala', 'хвала', 'cảm ơn', 'شكرا', 'شكراً', 'مرحبا', 'مرحباً', 'السلام عليكم', 'ہیلو', 'سلام', 'شکریہ',
  'team', 'lotse', 'admin', 'min', 'best', 'regards', 'sincerely', 'cheers', 'greetings', 'good morning', 'good afternoon', 'good evening', 'buenas tardes', 'buenas noches', 'guten morgen', 'guten abend',
];

/** Honorifics after a name: "Imran bhai", "Sana baji", "احمد صاحب". */
export const HONORIFICS_AFTER = ['bhai', 'bhaiya', 'baji', 'sahib', 'sahab', 'saab', 'صاحب', 'صاحبہ'];

/** Closing words; a name after them at the very end is the asker signing. */
export const SIGN_OFFS = ['thanks', 'thank you', 'thx', 'regards', 'best regards', 'kind regards', 'best', 'cheers', 'merci', 'merci beaucoup', 'cordialement', 'danke', 'vielen dank', 'grüße', 'gruß', 'lg', 'mfg', 'gracias', 'saludos', 'terima kasih', 'makasih', 'salam', 'faleminderit', 'përshëndetje', 'hvala', 'pozdrav', 'срдачно', 'хвала', 'cảm ơn', 'cám ơn', 'شكرا', 'شكراً', 'شکریہ'];

/** Endings of German nouns for people and things: "ich bin Krankenpfleger" names no one. */
export const GERMAN_NOUN_ENDINGS = /(?:er|erin|frau|mann|kraft|ling|ent|entin|ist|istin|eur|eurin|ant|antin|or|ung|heit|keit|schaft)$/u;
/** German nouns for people that end otherwise. */
export const GERMAN_PEOPLE_NOUNS = new Set(['arzt', 'ärztin', 'koch', 'köchin', 'azubi', 'beamter', 'beamtin', 'muslim', 'muslimin', 'christ', 'christin', 'rentnerin', 'anfängerin', 'single', 'mutter', 'vater', 'witwe', 'waise', 'deutsche']);
