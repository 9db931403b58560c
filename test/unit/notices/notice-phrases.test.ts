import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../src/core/knowledge.js';
import { recogniseNoticeRequest } from '../../../src/core/steps/notice-phrases.js';
import { normalizeText } from '../../../src/core/text/normalize-text.js';
import { Messages } from '../../../src/i18n/i18n.js';
import { I18nTranslator } from '../../../src/i18n/translator.js';

const translator = new I18nTranslator(Messages.create());
const recognise = (text: string) => recogniseNoticeRequest(text, translator);

/** Per language: ways to ask for notices, ways to stop them, and messages that mention the words without asking either. */
const CASES: Record<string, { subscribe: string[]; unsubscribe: string[]; neither: string[] }> = {
  en: {
    subscribe: ['notify me about job fairs and trainings', 'Please notify me about upcoming job fairs!', 'Can you notify me about job fairs?', 'Keep me posted on trainings and information days', 'job fair notifications please', 'subscribe', 'I want to be notified about webinars'],
    unsubscribe: ['unsubscribe', 'Stop notices', 'stop sending me notifications', "I don't want notices anymore", 'no more event notices please', 'notices off'],
    neither: ['I want to stop my training', 'How do I find job fairs?', 'tell me about trainings', 'Are there trainings in Ghana?', 'stop training', 'unsubscribe me from the training', 'cancel', 'no', 'job fairs', 'notifications', 'help', 'more', 'What are the notices in the visa process?'],
  },
  de: {
    subscribe: ['Benachrichtige mich über Jobmessen und Schulungen', 'Bitte benachrichtigen Sie mich über kommende Jobmessen', 'Ich möchte über Jobmessen informiert werden', 'Hinweise auf Schulungen abonnieren'],
    unsubscribe: ['Hinweise stoppen', 'abbestellen', 'keine Hinweise mehr', 'Benachrichtigungen aus'],
    neither: ['Ich möchte meine Ausbildung abbrechen', 'Von der Schulung abmelden', 'Wann ist die nächste Jobmesse?', 'Wie finde ich Schulungen?', 'abbrechen', 'mehr'],
  },
  fr: {
    subscribe: ["Prévenez-moi des salons de l'emploi et des formations", "préviens-moi des prochains salons de l'emploi", 'Tenez-moi au courant des formations en ligne svp', "je voudrais des notifications sur les salons de l'emploi"],
    unsubscribe: ['stop avis', 'Se désabonner', "plus d'avis", 'arrêtez de m’envoyer des notifications'],
    neither: ["Comment s'inscrire à une formation ?", 'Je veux arrêter ma formation', "Où sont les salons de l'emploi ?", 'annuler'],
  },
  ar: {
    subscribe: ['أبلغني عن معارض التوظيف والدورات التدريبية', 'من فضلك نبهني عن الفعاليات القادمة', 'أريد إشعارات عن الدورات التدريبية'],
    unsubscribe: ['أوقف الإشعارات', 'إلغاء الاشتراك', 'لا أريد إشعارات'],
    neither: ['أريد التسجيل في دورة تدريبية', 'متى معرض التوظيف القادم؟', 'أريد أن أوقف التدريب', 'إلغاء'],
  },
  es: {
    subscribe: ['Avíseme de las ferias de empleo y las formaciones', 'avísame de las próximas ferias de empleo por favor', 'Quiero recibir avisos sobre cursos'],
    unsubscribe: ['parar avisos', 'Darme de baja', 'no me envíen más avisos', 'desactivar notificaciones'],
    neither: ['¿Cuándo es la próxima feria de empleo?', 'Quiero dejar mi formación', 'Darme de baja de la formación', 'cancelar'],
  },
  sq: {
    subscribe: ['Më njoftoni për panairet e punës dhe trajnimet', 'më njofto për trajnimet e reja', 'dua njoftime për panairet e punës'],
    unsubscribe: ['ndalo njoftimet', 'çabonohu', 'nuk dua njoftime'],
    neither: ['Si mund të regjistrohem në trajnim?', 'Dua të ndaloj trajnimin', 'anulo'],
  },
  sr: {
    subscribe: ['Obavestite me o sajmovima zapošljavanja i obukama', 'Обавестите ме о сајмовима запошљавања и обукама', 'javite mi za nove obuke molim vas'],
    unsubscribe: ['stop obaveštenja', 'otkaži pretplatu', 'ne želim obaveštenja'],
    neither: ['Kako da se prijavim na obuku?', 'Želim da prekinem obuku', 'otkaži'],
  },
  vi: {
    subscribe: ['Thông báo cho tôi về hội chợ việc làm và các khóa đào tạo', 'thong bao cho toi ve cac su kien moi', 'tôi muốn nhận thông báo về khóa đào tạo'],
    unsubscribe: ['dừng thông báo', 'hủy đăng ký', 'tắt thông báo'],
    neither: ['Tôi muốn dừng khóa đào tạo', 'Hội chợ việc làm ở đâu?', 'hủy'],
  },
  ur: {
    subscribe: ['مجھے ملازمت میلوں اور تربیت کے بارے میں مطلع کریں', 'براہ کرم مجھے نئی تقریبات کی اطلاع دیں', 'سبسکرائب'],
    unsubscribe: ['اطلاعات بند کریں', 'ان سبسکرائب', 'مزید اطلاعات نہیں'],
    neither: ['مجھے تربیت نہیں چاہیے', 'ملازمت میلہ کب ہے؟', 'منسوخ'],
  },
  id: {
    subscribe: ['Kirimi saya pemberitahuan tentang bursa kerja dan pelatihan', 'kabari saya tentang pelatihan online', 'berlangganan'],
    unsubscribe: ['stop pemberitahuan', 'berhenti berlangganan', 'jangan kirim pemberitahuan lagi'],
    neither: ['Kapan bursa kerja berikutnya?', 'Saya mau berhenti pelatihan', 'berhenti menunggu', 'batal'],
  },
};

describe('asking for event notices, and stopping them, in the ten languages', () => {
  it('covers every language', () => {
    expect(Object.keys(CASES).sort()).toEqual([...LANGUAGES].sort());
  });

  for (const [language, cases] of Object.entries(CASES)) {
    it(`${language}: requests are recognised, questions and other messages with the same words are not`, () => {
      for (const text of cases.subscribe) expect(recognise(text), text).toBe('subscribe');
      for (const text of cases.unsubscribe) expect(recognise(text), text).toBe('unsubscribe');
      for (const text of cases.neither) expect(recognise(text), text).toBeUndefined();
    });
  }

  it('the phrases each language tells its users to write (help, confirmation) are recognised', () => {
    for (const language of LANGUAGES) {
      const [ask, stop] = [...translator.t(language, 'notices.help').matchAll(/"([^"]+)"/g)].map((match) => match[1]!);
      expect(recognise(ask!), `${language}: ${ask}`).toBe('subscribe');
      expect(recognise(stop!), `${language}: ${stop}`).toBe('unsubscribe');
      for (const key of ['subscribed', 'alreadySubscribed', 'footer']) {
        const quoted = [...translator.t(language, `notices.${key}`).matchAll(/"([^"]+)"/g)].map((match) => match[1]!);
        expect(quoted.map(recognise), `${language} ${key}`).toContain('unsubscribe');
      }
    }
  });

  it('a bare "stop" is only a stop (the step decides whether it ends notices), in every language', () => {
    for (const word of ['stop', 'STOP', 'Stopp', 'arrête', 'basta', 'توقف', 'ndalo', 'стоп', 'dừng', 'بند کریں', 'berhenti']) expect(recognise(word), word).toBe('stop');
  });

  it('no fixed phrase is a command word or a choice in any language', () => {
    const commandWords = new Set(['start', 'help', 'language', 'advisor', 'delete', 'profile', 'yes', 'no', 'skip', 'go', 'returned', 'cancel', 'greeting', 'thanks', 'more'].flatMap((key) => translator.words(`commandWords.${key}`)));
    for (const list of ['subscribe', 'unsubscribe', 'stop']) {
      const clashes = translator.words(`notices.words.${list}`).filter((phrase) => commandWords.has(normalizeText(phrase)));
      expect(clashes, list).toEqual([]);
    }
    const subscribe = new Set(translator.words('notices.words.subscribe'));
    expect(translator.words('notices.words.unsubscribe').filter((phrase) => subscribe.has(phrase))).toEqual([]);
  });

  it('long messages are not requests, whatever they contain', () => {
    expect(recognise('notify me about job fairs and trainings and also tell me everything about the visa for Germany and the recognition of my diploma')).toBeUndefined();
  });
});
