/**
 * Reference lists used next to ESCO: the European Qualifications Framework (EQF, Council
 * Recommendation of 22 May 2017, Annex II) and the Common European Framework of Reference for
 * Languages (CEFR, Council of Europe 2001/2020). Short descriptions written by the project from the
 * official descriptors, in Italian, English and Arabic.
 */
export type Described = { it: string; en: string; ar: string };

export const EQF_LEVELS = [1, 2, 3, 4, 5, 6, 7, 8] as const;
export type EqfLevel = (typeof EQF_LEVELS)[number];

export const EQF: Record<EqfLevel, { examplesIt: string; description: Described }> = {
  1: {
    examplesIt: 'Licenza elementare',
    description: {
      it: 'Conoscenze generali di base; abilità di base per compiti semplici, sotto supervisione diretta.',
      en: 'Basic general knowledge; basic skills to carry out simple tasks, under direct supervision.',
      ar: 'معارف عامة أساسية؛ مهارات أساسية لأداء مهام بسيطة تحت إشراف مباشر.',
    },
  },
  2: {
    examplesIt: 'Licenza media (diploma di scuola secondaria di primo grado)',
    description: {
      it: 'Conoscenze pratiche di base in un ambito di lavoro o studio; usare informazioni utili per compiti semplici, con una certa autonomia.',
      en: 'Basic factual knowledge of a field of work or study; use relevant information to carry out routine tasks, with some autonomy.',
      ar: 'معارف عملية أساسية في مجال عمل أو دراسة؛ استخدام المعلومات لأداء مهام روتينية ببعض الاستقلالية.',
    },
  },
  3: {
    examplesIt: 'Qualifica professionale triennale (IeFP)',
    description: {
      it: 'Conoscenza di fatti, principi e processi; scegliere e usare metodi e strumenti; responsabilità per completare i compiti.',
      en: 'Knowledge of facts, principles and processes; select and apply basic methods and tools; take responsibility for completing tasks.',
      ar: 'معرفة الحقائق والمبادئ والعمليات؛ اختيار الأساليب والأدوات الأساسية وتطبيقها؛ تحمّل مسؤولية إنجاز المهام.',
    },
  },
  4: {
    examplesIt: 'Diploma professionale quadriennale (IeFP); diploma di scuola secondaria superiore',
    description: {
      it: 'Conoscenze pratiche e teoriche ampie; risolvere problemi specifici; autogestione e supervisione del lavoro di altri.',
      en: 'Broad factual and theoretical knowledge; generate solutions to specific problems; self-management and supervising the routine work of others.',
      ar: 'معارف عملية ونظرية واسعة؛ إيجاد حلول لمشكلات محددة؛ الإدارة الذاتية والإشراف على العمل الروتيني للآخرين.',
    },
  },
  5: {
    examplesIt: 'Diploma di tecnico superiore (ITS Academy)',
    description: {
      it: 'Conoscenze complete e specializzate; abilità per soluzioni creative a problemi astratti; gestire e controllare attività soggette a cambiamenti.',
      en: 'Comprehensive, specialised knowledge; skills to develop creative solutions to abstract problems; manage and supervise activities where there is unpredictable change.',
      ar: 'معارف شاملة ومتخصصة؛ مهارات لإيجاد حلول مبتكرة لمشكلات مجردة؛ إدارة الأنشطة التي تتغير بشكل غير متوقع والإشراف عليها.',
    },
  },
  6: {
    examplesIt: 'Laurea triennale; diploma accademico di primo livello',
    description: {
      it: 'Conoscenze avanzate con comprensione critica; abilità avanzate per risolvere problemi complessi; responsabilità di decisioni e progetti.',
      en: 'Advanced knowledge involving critical understanding; advanced skills to solve complex problems; responsibility for decisions and projects.',
      ar: 'معارف متقدمة مع فهم نقدي؛ مهارات متقدمة لحل مشكلات معقدة؛ مسؤولية اتخاذ القرارات وإدارة المشاريع.',
    },
  },
  7: {
    examplesIt: 'Laurea magistrale; master universitario di primo livello',
    description: {
      it: 'Conoscenze altamente specializzate; abilità di ricerca e innovazione; gestire contesti di lavoro complessi e imprevedibili.',
      en: 'Highly specialised knowledge; specialised problem-solving skills for research and innovation; manage complex, unpredictable work contexts.',
      ar: 'معارف عالية التخصص؛ مهارات متخصصة لحل المشكلات في البحث والابتكار؛ إدارة سياقات عمل معقدة وغير متوقعة.',
    },
  },
  8: {
    examplesIt: 'Dottorato di ricerca; master universitario di secondo livello',
    description: {
      it: 'Conoscenze all’avanguardia; le abilità più avanzate per la ricerca; autorità, innovazione e autonomia sostanziali.',
      en: 'Knowledge at the most advanced frontier; the most advanced skills for research; substantial authority, innovation and autonomy.',
      ar: 'معارف في أكثر المجالات تقدمًا؛ أعلى المهارات للبحث؛ سلطة وابتكار واستقلالية كبيرة.',
    },
  },
};

export const CEFR_LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const;
export type CefrLevel = (typeof CEFR_LEVELS)[number];

export const CEFR: Record<CefrLevel, Described> = {
  A1: {
    it: 'Base: capisci e usi espressioni quotidiane molto semplici; ti presenti e rispondi a domande semplici.',
    en: 'Basic: understand and use very simple everyday expressions; introduce yourself and answer simple questions.',
    ar: 'مبتدئ: فهم واستخدام عبارات يومية بسيطة جدًا؛ تقديم نفسك والإجابة عن أسئلة بسيطة.',
  },
  A2: {
    it: 'Elementare: capisci frasi frequenti su argomenti familiari; comunichi in compiti semplici e abituali.',
    en: 'Elementary: understand frequently used sentences on familiar topics; communicate in simple, routine tasks.',
    ar: 'أساسي: فهم الجمل الشائعة في مواضيع مألوفة؛ التواصل في مهام بسيطة وروتينية.',
  },
  B1: {
    it: 'Intermedio: capisci i punti principali su lavoro, scuola e tempo libero; te la cavi in viaggio; scrivi testi semplici.',
    en: 'Intermediate: understand the main points on work, school and leisure; deal with most travel situations; write simple texts.',
    ar: 'متوسط: فهم النقاط الرئيسية حول العمل والدراسة والترفيه؛ التعامل مع معظم مواقف السفر؛ كتابة نصوص بسيطة.',
  },
  B2: {
    it: 'Intermedio superiore: capisci testi complessi; parli con scioltezza con persone madrelingua; scrivi testi chiari e dettagliati.',
    en: 'Upper intermediate: understand complex texts; interact fluently with native speakers; write clear, detailed texts.',
    ar: 'فوق المتوسط: فهم نصوص معقدة؛ التحدث بطلاقة مع الناطقين الأصليين؛ كتابة نصوص واضحة ومفصلة.',
  },
  C1: {
    it: 'Avanzato: capisci testi lunghi e impegnativi; ti esprimi in modo fluido per lavoro e studio.',
    en: 'Advanced: understand long, demanding texts; express yourself fluently for work and study.',
    ar: 'متقدم: فهم نصوص طويلة وصعبة؛ التعبير بطلاقة لأغراض العمل والدراسة.',
  },
  C2: {
    it: 'Padronanza: capisci quasi tutto quello che senti e leggi; ti esprimi in modo spontaneo e preciso.',
    en: 'Proficient: understand virtually everything heard or read; express yourself spontaneously and precisely.',
    ar: 'إتقان: فهم كل ما تسمعه أو تقرأه تقريبًا؛ التعبير بعفوية ودقة.',
  },
};

export function isEqfLevel(value: unknown): value is EqfLevel {
  return typeof value === 'number' && (EQF_LEVELS as readonly number[]).includes(value);
}

export function isCefrLevel(value: unknown): value is CefrLevel {
  return typeof value === 'string' && (CEFR_LEVELS as readonly string[]).includes(value);
}
