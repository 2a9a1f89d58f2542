/* labels.c - the words octavo writes itself, per language. A row per
 * language (or per tag where a region or script writes them otherwise:
 * pt-BR, zh-Hant, sr-Latn), in the order of oc_label_id. A tag is matched
 * whole first, then by its language, so "de-AT" reads "de". */
#include "labels.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

static const char *const names[OC_LABEL_COUNT] = {
    "contents", "cover", "title-page", "copyright", "landmarks", "start",
    "pages", "published-by", "edited-by", "translated-by", "illustrated-by",
    "with", "note", "tip", "important", "warning", "caution",
};

typedef struct lang_row {
    const char *tag;
    const char *w[OC_LABEL_COUNT];
} lang_row;

/* The first row is English, which every missing word falls back to. A
 * credit that cannot take the name after a preposition without changing
 * its case (Slavic languages, Hungarian…) ends in a colon instead. */
static const lang_row rows[] = {
    {"en", {"Contents", "Cover", "Title Page", "Copyright", "Landmarks",
            "Start of Content", "Pages", "Published by", "Edited by",
            "Translated by", "Illustrated by", "With",
            "Note", "Tip", "Important", "Warning", "Caution"}},
    {"af", {"Inhoud", "Omslag", "Titelblad", "Kolofon", "Oriënteringspunte",
            "Begin van die teks", "Bladsye", "Uitgegee deur",
            "Geredigeer deur", "Vertaal deur", "Geïllustreer deur", "Met"}},
    {"ar", {"المحتويات", "الغلاف", "صفحة العنوان", "حقوق النشر", "معالم",
            "بداية المحتوى", "الصفحات", "الناشر:", "تحرير:", "ترجمة:",
            "رسوم:", "بمشاركة:",
            "ملاحظة", "نصيحة", "مهم", "تحذير", "تنبيه"}},
    {"as", {"সূচীপত্ৰ", "বেটুপাত", "শিৰোনাম পৃষ্ঠা", "স্বত্বাধিকাৰ",
            "চিনাকি", "বিষয়বস্তুৰ আৰম্ভণি", "পৃষ্ঠাসমূহ", "প্ৰকাশক:",
            "সম্পাদক:", "অনুবাদক:", "চিত্ৰকৰ:", "সহযোগিতাত:"}},
    {"be", {"Змест", "Вокладка", "Тытульная старонка", "Выхадныя даныя",
            "Арыенціры", "Пачатак тэксту", "Старонкі", "Выдавец:",
            "Рэдактар:", "Пераклад:", "Ілюстрацыі:", "Пры ўдзеле:"}},
    {"bg", {"Съдържание", "Корица", "Заглавна страница", "Издателски данни",
            "Ориентири", "Начало на текста", "Страници", "Издател:",
            "Редактор:", "Превод:", "Илюстрации:", "С участието на:",
            "Бележка", "Съвет", "Важно", "Предупреждение", "Внимание"}},
    {"bn", {"সূচিপত্র", "প্রচ্ছদ", "শিরোনাম পৃষ্ঠা", "স্বত্ব", "দিকচিহ্ন",
            "লেখার শুরু", "পৃষ্ঠা", "প্রকাশক:", "সম্পাদক:", "অনুবাদক:",
            "চিত্রকর:", "সহযোগিতায়:"}},
    {"ca", {"Índex", "Coberta", "Portada", "Crèdits", "Punts de referència",
            "Inici del contingut", "Pàgines", "Publicat per",
            "Edició a cura de", "Traducció de", "Il·lustracions de", "Amb",
            "Nota", "Consell", "Important", "Advertiment", "Precaució"}},
    {"cs", {"Obsah", "Obálka", "Titulní strana", "Tiráž", "Orientační body",
            "Začátek textu", "Strany", "Vydavatel:", "Redakce:", "Překlad:",
            "Ilustrace:", "Spolupráce:",
            "Poznámka", "Tip", "Důležité", "Varování", "Pozor"}},
    {"da", {"Indhold", "Omslag", "Titelblad", "Kolofon",
            "Orienteringspunkter", "Tekstens begyndelse", "Sider",
            "Udgivet af", "Redigeret af", "Oversat af", "Illustreret af",
            "Med",
            "Bemærk", "Tip", "Vigtigt", "Advarsel", "Forsigtig"}},
    {"de", {"Inhalt", "Umschlag", "Titelseite", "Impressum",
            "Orientierungspunkte", "Textanfang", "Seiten", "Verlag:",
            "Herausgegeben von", "Übersetzt von", "Illustriert von", "Mit",
            "Hinweis", "Tipp", "Wichtig", "Warnung", "Vorsicht"}},
    {"el", {"Περιεχόμενα", "Εξώφυλλο", "Σελίδα τίτλου", "Στοιχεία έκδοσης",
            "Ορόσημα", "Αρχή του κειμένου", "Σελίδες", "Εκδότης:",
            "Επιμέλεια:", "Μετάφραση:", "Εικονογράφηση:", "Συμμετοχή:",
            "Σημείωση", "Συμβουλή", "Σημαντικό", "Προειδοποίηση", "Προσοχή"}},
    {"es", {"Índice", "Cubierta", "Portada", "Créditos",
            "Puntos de referencia", "Inicio del contenido", "Páginas",
            "Publicado por", "Edición de", "Traducción de",
            "Ilustraciones de", "Con",
            "Nota", "Consejo", "Importante", "Advertencia", "Precaución"}},
    {"et", {"Sisukord", "Kaas", "Tiitelleht", "Väljaandeandmed",
            "Orientiirid", "Teksti algus", "Leheküljed", "Kirjastus:",
            "Toimetanud:", "Tõlkinud:", "Illustreerinud:",
            "Kaasa aidanud:",
            "Märkus", "Nõuanne", "Oluline", "Hoiatus", "Ettevaatust"}},
    {"fa", {"فهرست مطالب", "جلد", "صفحهٔ عنوان", "شناسنامه", "نشانه‌ها",
            "آغاز متن", "صفحه‌ها", "ناشر:", "ویراستار:", "مترجم:",
            "تصویرگر:", "با همکاری:"}},
    {"fi", {"Sisällys", "Kansi", "Nimiösivu", "Julkaisutiedot", "Maamerkit",
            "Tekstin alku", "Sivut", "Julkaisija:", "Toimittanut:",
            "Suomentanut:", "Kuvittanut:", "Mukana:",
            "Huomautus", "Vinkki", "Tärkeää", "Varoitus", "Varo"}},
    {"fr", {"Table des matières", "Couverture", "Page de titre",
            "Mentions légales", "Repères", "Début du texte", "Pages",
            "Publié par", "Sous la direction de", "Traduit par",
            "Illustré par", "Avec",
            "Remarque", "Astuce", "Important", "Avertissement", "Attention"}},
    {"gl", {"Índice", "Cuberta", "Portada", "Créditos",
            "Puntos de referencia", "Inicio do contido", "Páxinas",
            "Publicado por", "Edición de", "Tradución de",
            "Ilustracións de", "Con"}},
    {"gu", {"અનુક્રમણિકા", "મુખપૃષ્ઠ", "શીર્ષક પૃષ્ઠ", "કૉપિરાઇટ",
            "સીમાચિહ્નો", "સામગ્રીની શરૂઆત", "પૃષ્ઠો", "પ્રકાશક:",
            "સંપાદક:", "અનુવાદક:", "ચિત્રકાર:", "સહયોગ:"}},
    {"he", {"תוכן העניינים", "כריכה", "שער", "זכויות יוצרים", "ציוני דרך",
            "תחילת התוכן", "עמודים", "הוצאה לאור:", "עריכה:", "תרגום:",
            "איורים:", "בהשתתפות:",
            "הערה", "עצה", "חשוב", "אזהרה", "זהירות"}},
    {"hi", {"विषय-सूची", "आवरण", "शीर्षक पृष्ठ", "कॉपीराइट", "पहचान चिह्न",
            "सामग्री का आरंभ", "पृष्ठ", "प्रकाशक:", "संपादक:", "अनुवादक:",
            "चित्रकार:", "सहयोग:"}},
    {"hr", {"Sadržaj", "Naslovnica", "Naslovna stranica", "Impresum",
            "Orijentiri", "Početak teksta", "Stranice", "Nakladnik:",
            "Urednik:", "Prijevod:", "Ilustracije:", "Suradnja:",
            "Napomena", "Savjet", "Važno", "Upozorenje", "Oprez"}},
    {"hu", {"Tartalom", "Borító", "Címoldal", "Impresszum",
            "Tájékozódási pontok", "A szöveg eleje", "Oldalak", "Kiadó:",
            "Szerkesztette:", "Fordította:", "Illusztrálta:",
            "Közreműködött:",
            "Megjegyzés", "Tipp", "Fontos", "Figyelmeztetés", "Vigyázat"}},
    {"id", {"Daftar Isi", "Sampul", "Halaman Judul", "Hak Cipta", "Penanda",
            "Awal Isi", "Halaman", "Diterbitkan oleh", "Disunting oleh",
            "Diterjemahkan oleh", "Diilustrasikan oleh", "Dengan",
            "Catatan", "Tips", "Penting", "Peringatan", "Perhatian"}},
    {"is", {"Efnisyfirlit", "Kápa", "Titilsíða", "Útgáfuupplýsingar",
            "Kennileiti", "Upphaf texta", "Síður", "Útgefandi:",
            "Ritstjóri:", "Þýðing:", "Myndskreytingar:", "Með"}},
    {"it", {"Indice", "Copertina", "Frontespizio", "Colophon",
            "Punti di riferimento", "Inizio del testo", "Pagine",
            "Pubblicato da", "A cura di", "Traduzione di",
            "Illustrazioni di", "Con",
            "Nota", "Suggerimento", "Importante", "Avvertenza", "Attenzione"}},
    {"ja", {"目次", "表紙", "扉", "奥付", "ランドマーク", "本文の始まり",
            "ページ", "発行", "編集", "翻訳", "挿絵", "協力",
            "注記", "ヒント", "重要", "警告", "注意"}},
    {"kn", {"ಪರಿವಿಡಿ", "ಮುಖಪುಟ", "ಶೀರ್ಷಿಕೆ ಪುಟ", "ಕೃತಿಸ್ವಾಮ್ಯ",
            "ಹೆಗ್ಗುರುತುಗಳು", "ವಿಷಯದ ಆರಂಭ", "ಪುಟಗಳು", "ಪ್ರಕಾಶಕರು:",
            "ಸಂಪಾದಕರು:", "ಅನುವಾದಕರು:", "ಚಿತ್ರಕಾರರು:", "ಸಹಯೋಗ:"}},
    {"ko", {"목차", "표지", "속표지", "판권", "랜드마크", "본문 시작",
            "페이지", "펴낸곳", "엮은이", "옮긴이", "그린이", "함께한 이",
            "참고", "팁", "중요", "경고", "주의"}},
    {"lt", {"Turinys", "Viršelis", "Antraštinis puslapis",
            "Leidinio duomenys", "Orientyrai", "Teksto pradžia", "Puslapiai",
            "Leidėjas:", "Redaktorius:", "Vertimas:", "Iliustracijos:",
            "Dalyvauja:",
            "Pastaba", "Patarimas", "Svarbu", "Įspėjimas", "Atsargiai"}},
    {"lv", {"Saturs", "Vāks", "Titullapa", "Izdevuma dati", "Orientieri",
            "Teksta sākums", "Lappuses", "Izdevējs:", "Redaktors:",
            "Tulkojums:", "Ilustrācijas:", "Līdzdarbojas:",
            "Piezīme", "Padoms", "Svarīgi", "Brīdinājums", "Uzmanību"}},
    {"ml", {"ഉള്ളടക്കം", "പുറംചട്ട", "ശീർഷക പേജ്", "പകർപ്പവകാശം",
            "അടയാളങ്ങൾ", "ഉള്ളടക്കത്തിന്റെ ആരംഭം", "പേജുകൾ", "പ്രസാധകർ:",
            "എഡിറ്റർ:", "വിവർത്തകൻ:", "ചിത്രകാരൻ:", "സഹകരണം:"}},
    {"mn", {"Агуулга", "Хавтас", "Нүүр хуудас", "Зохиогчийн эрх",
            "Тэмдэглэгээ", "Эхлэл", "Хуудаснууд", "Хэвлэгч:",
            "Редактор:", "Орчуулагч:", "Зураач:", "Оролцогч:"}},
    {"mr", {"अनुक्रमणिका", "मुखपृष्ठ", "शीर्षक पृष्ठ", "प्रताधिकार",
            "खुणा", "मजकुराची सुरुवात", "पृष्ठे", "प्रकाशक:",
            "संपादक:", "अनुवादक:", "चित्रकार:", "सहभाग:"}},
    {"nb", {"Innhold", "Omslag", "Tittelside", "Kolofon",
            "Orienteringspunkter", "Tekstens begynnelse", "Sider",
            "Utgitt av", "Redigert av", "Oversatt av", "Illustrert av",
            "Med",
            "Merk", "Tips", "Viktig", "Advarsel", "Forsiktig"}},
    {"nl", {"Inhoud", "Omslag", "Titelpagina", "Colofon",
            "Oriëntatiepunten", "Begin van de tekst", "Pagina’s",
            "Uitgegeven door", "Redactie:", "Vertaald door",
            "Geïllustreerd door", "Met",
            "Opmerking", "Tip", "Belangrijk", "Waarschuwing", "Let op"}},
    {"nn", {"Innhald", "Omslag", "Tittelside", "Kolofon",
            "Orienteringspunkt", "Byrjinga av teksten", "Sider",
            "Gitt ut av", "Redigert av", "Omsett av", "Illustrert av",
            "Med",
            "Merk", "Tips", "Viktig", "Åtvaring", "Forsiktig"}},
    {"or", {"ସୂଚୀପତ୍ର", "ମଲାଟ", "ଶୀର୍ଷକ ପୃଷ୍ଠା", "ସ୍ୱତ୍ୱାଧିକାର",
            "ଚିହ୍ନ", "ବିଷୟର ଆରମ୍ଭ", "ପୃଷ୍ଠା", "ପ୍ରକାଶକ:",
            "ସମ୍ପାଦକ:", "ଅନୁବାଦକ:", "ଚିତ୍ରକର:", "ସହଯୋଗ:"}},
    {"pa", {"ਤਤਕਰਾ", "ਕਵਰ", "ਸਿਰਲੇਖ ਪੰਨਾ", "ਕਾਪੀਰਾਈਟ",
            "ਨਿਸ਼ਾਨੀਆਂ", "ਸਮੱਗਰੀ ਦੀ ਸ਼ੁਰੂਆਤ", "ਪੰਨੇ", "ਪ੍ਰਕਾਸ਼ਕ:",
            "ਸੰਪਾਦਕ:", "ਅਨੁਵਾਦਕ:", "ਚਿੱਤਰਕਾਰ:", "ਸਹਿਯੋਗ:"}},
    {"pl", {"Spis treści", "Okładka", "Strona tytułowa", "Strona redakcyjna",
            "Punkty orientacyjne", "Początek treści", "Strony", "Wydawca:",
            "Redakcja:", "Przekład:", "Ilustracje:", "Współpraca:",
            "Uwaga", "Wskazówka", "Ważne", "Ostrzeżenie", "Przestroga"}},
    {"pt", {"Índice", "Capa", "Folha de rosto", "Ficha técnica",
            "Pontos de referência", "Início do conteúdo", "Páginas",
            "Publicado por", "Edição de", "Tradução de", "Ilustrações de",
            "Com",
            "Nota", "Dica", "Importante", "Aviso", "Cuidado"}},
    {"pt-BR", {"Sumário", "Capa", "Folha de rosto", "Créditos",
               "Pontos de referência", "Início do conteúdo", "Páginas",
               "Publicado por", "Edição de", "Tradução de",
               "Ilustrações de", "Com"}},
    {"ro", {"Cuprins", "Copertă", "Pagină de titlu", "Date editoriale",
            "Repere", "Începutul textului", "Pagini", "Publicat de",
            "Ediție îngrijită de", "Traducere de", "Ilustrații de", "Cu",
            "Notă", "Sfat", "Important", "Avertisment", "Atenție"}},
    {"ru", {"Содержание", "Обложка", "Титульный лист", "Выходные данные",
            "Ориентиры", "Начало текста", "Страницы", "Издатель:",
            "Редактор:", "Перевод:", "Иллюстрации:", "При участии:",
            "Примечание", "Совет", "Важно", "Предупреждение", "Осторожно"}},
    {"sk", {"Obsah", "Obálka", "Titulná strana", "Tiráž", "Orientačné body",
            "Začiatok textu", "Strany", "Vydavateľ:", "Redakcia:",
            "Preklad:", "Ilustrácie:", "Spolupráca:",
            "Poznámka", "Tip", "Dôležité", "Varovanie", "Pozor"}},
    {"sl", {"Kazalo", "Naslovnica", "Naslovna stran", "Kolofon",
            "Orientacijske točke", "Začetek besedila", "Strani", "Založnik:",
            "Urednik:", "Prevod:", "Ilustracije:", "Sodelovanje:",
            "Opomba", "Nasvet", "Pomembno", "Opozorilo", "Previdno"}},
    {"sr", {"Садржај", "Корица", "Насловна страна", "Импресум",
            "Оријентири", "Почетак текста", "Странице", "Издавач:",
            "Уредник:", "Превод:", "Илустрације:", "Сарадња:"}},
    {"sr-Latn", {"Sadržaj", "Korica", "Naslovna strana", "Impresum",
                 "Orijentiri", "Početak teksta", "Stranice", "Izdavač:",
                 "Urednik:", "Prevod:", "Ilustracije:", "Saradnja:"}},
    {"sv", {"Innehåll", "Omslag", "Titelsida", "Kolofon",
            "Orienteringspunkter", "Textens början", "Sidor", "Utgiven av",
            "Redigerad av", "Översatt av", "Illustrerad av", "Med",
            "Obs", "Tips", "Viktigt", "Varning", "Försiktigt"}},
    {"ta", {"பொருளடக்கம்", "அட்டை", "தலைப்புப் பக்கம்", "பதிப்புரிமை",
            "அடையாளங்கள்", "உள்ளடக்கத் தொடக்கம்", "பக்கங்கள்", "பதிப்பாளர்:",
            "பதிப்பாசிரியர்:", "மொழிபெயர்ப்பாளர்:", "ஓவியர்:", "பங்களிப்பு:"}},
    {"te", {"విషయసూచిక", "ముఖచిత్రం", "శీర్షిక పేజీ", "కాపీరైట్",
            "గుర్తులు", "విషయ ప్రారంభం", "పేజీలు", "ప్రచురణకర్త:",
            "సంపాదకుడు:", "అనువాదకుడు:", "చిత్రకారుడు:", "సహకారం:"}},
    {"th", {"สารบัญ", "ปก", "หน้าชื่อเรื่อง", "ลิขสิทธิ์", "จุดสังเกต",
            "เริ่มเนื้อหา", "หน้า", "จัดพิมพ์โดย", "บรรณาธิการ", "แปลโดย",
            "ภาพประกอบโดย", "ร่วมกับ"}},
    {"tr", {"İçindekiler", "Kapak", "Başlık sayfası", "Künye",
            "Yer işaretleri", "Metnin başlangıcı", "Sayfalar", "Yayınevi:",
            "Editör:", "Çeviren:", "Resimleyen:", "Katkıda bulunan:",
            "Not", "İpucu", "Önemli", "Uyarı", "Dikkat"}},
    {"uk", {"Зміст", "Обкладинка", "Титульна сторінка", "Вихідні дані",
            "Орієнтири", "Початок тексту", "Сторінки", "Видавець:",
            "Редактор:", "Переклад:", "Ілюстрації:", "За участі:",
            "Примітка", "Порада", "Важливо", "Попередження", "Обережно"}},
    {"vi", {"Mục lục", "Bìa", "Trang tên sách", "Bản quyền", "Mốc",
            "Bắt đầu nội dung", "Trang", "Nhà xuất bản:", "Biên tập:",
            "Dịch giả:", "Minh họa:", "Cùng với:",
            "Ghi chú", "Mẹo", "Quan trọng", "Cảnh báo", "Thận trọng"}},
    {"zh", {"目录", "封面", "扉页", "版权页", "地标", "正文开始", "页码",
            "出版者", "编者", "译者", "绘者", "合作",
            "注意", "提示", "重要", "警告", "小心"}},
    {"zh-Hant", {"目錄", "封面", "扉頁", "版權頁", "地標", "正文開始", "頁碼",
                 "出版者", "編者", "譯者", "繪者", "合作"}},
    {"zu", {"Okuqukethwe", "Ikhava", "Ikhasi lesihloko",
            "Ilungelo lobunikazi", "Izimpawu zokuzula",
            "Ukuqala kokuqukethwe", "Amakhasi", "Umshicileli:", "Umhleli:",
            "Umhumushi:", "Umdwebi:", "Nabanye:"}},
};

/* Tags that read another row: macrolanguages and regions that write
 * otherwise than their language's first row. */
static const struct {
    const char *tag, *as;
} aliases[] = {
    {"no", "nb"},        {"sh", "sr-Latn"},   {"zh-TW", "zh-Hant"},
    {"zh-HK", "zh-Hant"}, {"zh-MO", "zh-Hant"}, {"iw", "he"},
};

const char *
oc_label_name(oc_label_id id)
{
    return id < OC_LABEL_COUNT ? names[id] : NULL;
}

int
oc_label_find(const char *name)
{
    for (int i = 0; i < OC_LABEL_COUNT; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

/* The row of exactly 'tag' (n bytes, case aside), aliases followed. */
static const lang_row *
row_of(const char *tag, size_t n)
{
    for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
        if (strlen(aliases[i].tag) == n &&
            strncasecmp(aliases[i].tag, tag, n) == 0)
            return row_of(aliases[i].as, strlen(aliases[i].as));
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        if (strlen(rows[i].tag) == n && strncasecmp(rows[i].tag, tag, n) == 0)
            return &rows[i];
    return NULL;
}

/* The row of 'lang': the whole tag, its language and script
 * ("zh-Hant-TW"), its language and region ("pt-BR"), its language;
 * NULL when none. */
static const lang_row *
find_row(const char *lang)
{
    const lang_row *r;
    size_t lg, sub;

    if (lang == NULL || lang[0] == '\0')
        return NULL;
    if ((r = row_of(lang, strlen(lang))) != NULL)
        return r;
    lg = strcspn(lang, "-_");
    if (lang[lg] != '\0') {
        sub = strcspn(lang + lg + 1, "-_");
        if ((r = row_of(lang, lg + 1 + sub)) != NULL)
            return r;
    }
    return row_of(lang, lg);
}

bool
oc_labels_known(const char *lang)
{
    return find_row(lang) != NULL;
}

const char *
oc_label(const char *const *own, const char *lang, oc_label_id id)
{
    const lang_row *r = find_row(lang);

    if (id >= OC_LABEL_COUNT)
        return "";
    if (own != NULL && own[id] != NULL)
        return own[id];
    return r != NULL && r->w[id] != NULL ? r->w[id] : rows[0].w[id];
}

/* The MARC relator codes (https://id.loc.gov/vocabulary/relators) a book
 * credits by name, and how an English title page says it; a label for
 * those every language has. */
static const struct {
    const char *code;
    const char *english;
    int         label;      /* an oc_label_id, or -1 */
} credits[] = {
    {"abr", "Abridged by", -1},        {"adp", "Adapted by", -1},
    {"aft", "Afterword by", -1},       {"ann", "Annotated by", -1},
    {"art", "Art by", -1},             {"aui", "Introduction by", -1},
    {"aut", "By", -1},                 {"bkd", "Designed by", -1},
    {"clr", "Colours by", -1},         {"com", "Compiled by", -1},
    {"cov", "Cover design by", -1},
    {"edc", "Edited by", OC_LABEL_EDITED_BY},
    {"edt", "Edited by", OC_LABEL_EDITED_BY},
    {"ill", "Illustrated by", OC_LABEL_ILLUSTRATED_BY},
    {"nrt", "Narrated by", -1},        {"pht", "Photographs by", -1},
    {"pfr", "Proofread by", -1},       {"trc", "Transcribed by", -1},
    {"trl", "Translated by", OC_LABEL_TRANSLATED_BY},
    {"wac", "Commentary by", -1},      {"win", "Introduction by", -1},
    {"wpr", "Preface by", -1},
};

const char *
oc_label_credit(const char *const *own, const char *lang, const char *role)
{
    const lang_row *r = find_row(lang);

    for (size_t i = 0; role && i < sizeof credits / sizeof *credits; i++) {
        if (strcasecmp(role, credits[i].code) != 0)
            continue;
        if (credits[i].label >= 0)
            return oc_label(own, lang, (oc_label_id)credits[i].label);
        if (r == NULL || r == &rows[0])
            return credits[i].english;
        break;
    }
    return oc_label(own, lang, OC_LABEL_WITH);
}
