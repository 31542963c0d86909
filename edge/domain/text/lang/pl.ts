/** Polish; written with diacritics, matched without (fold.ts), so "dziala" is "działa". */
import type { LanguageData } from '../language'

export const pl: LanguageData = {
  pos: `super świetn* świetnie niezawodn* nieźle niezł* doskonał* wygodn* najlepsz* lepsz* lepiej prost* prosto
    intuicyjn* polecam polec* oszczędza* oszczędz* genialn* lubię lubi* pomocn* pomogł* szybk* szybko błyskawiczn* dobr*
    dobrze łatw* łatwo ładn* działa działają działało fajn* fajnie rewelac* przydatn* zadowolon* dzięk* dziek* spoko
    ekstra sztos cudown* piękn* przejrzyst* czytelny czytelne jasn* zachwycon* uwielbiam kocham idealn* przyjemn*
    przyjemność gładko sprawn* stabiln* warte wart warta rozsądn* uczciw* tani* śmiga brawo gratul* ratuj*
    skuteczn* dokładnie:0.5 niesamowit* niezastąpion* bezproblemow* wspaniał* profesjonaln* zachwyca* ok:0.2`,
  neg: `okropn* narzek* psuj* psuje zawiesza* zawiesił* zawiesz* drog* drożej błęd* błąd* niejasn* mylą* mylac* wolne wolno woln*
    nienawidz* fataln* zepsu* strac* bezużyteczn* źle zły zła złe problem* strasznie słab* słabo kiepsk* trudn* trudno
    irytuj* wkurz* denerwuj* rozczarow* awari* beznadziejn* masakr* lipa lipn* dramat* porażk* tragedi* tragiczn* syf
    badziew* chaos brzydk* skomplikowan* zagmatwan* nieczyteln* nieintuicyjn* niezrozumiał* nieaktualn* ograniczon*
    brakuje wywala* wywalił* wysypuj* sypie crash* laguj* tnie przycina* zacina* zaciął* zamarz* zamarzł* utknął* utknęł*
    czekam:0.8 czekałem:0.8 czekałam:0.8 czekać:0.6 poddał* poddaj* odpuścił* odpuściłam wylogow* zniknęł* znikn* pust*
    resetuj* rezygnuj* rezygnacj* zwrot:0.6 wieki przesad* zdzierstw* naciąg* bubel kicha szkoda niestety dlaczego:0.5
    czemu:0.5 znowu:0.6 znów:0.6 ciągle:0.5 musiałem:0.6 musiałam:0.6 muszę:0.4 nikt:0.8 zawodzi zawiodł*
    ignoruj* frustr* nerw* koszmar* katastrof* męcząc* żenuj* żenad* padł* pada przestał* wolniej mniej:0.5`,
  phrases: [
    ['przydałby się', 0],
    ['przydałaby się', 0],
    ['przydałoby się', 0],
    ['fajnie by było', 0],
    ['byłoby fajnie', 0],
    ['dobrze by było', 0],
    ['byłoby dobrze', 0],
    ['byłoby super', 0],
    ['było by fajnie', 0],
    ['proszę dodać', 0],
    ['po prostu', 0],
    ['w porządku', 0],
    ['ani dobrze ani źle', 0],
    ['ani dobre ani złe', 0],
    ['tak sobie', 0],
    ['jest moc', 1],
    ['bez zarzutu', 1],
    ['dobra robota', 1],
    ['tak trzymać', 1],
    ['nie ma się do czego przyczepić', 1.5],
    ['nie wyobrażam sobie', 1],
    ['nic nie robi', -1],
    ['nic się nie dzieje', -1],
    ['nic się nie stało', -1],
    ['i nic', -1],
    ['nie da się', -1],
    ['za drogo', -1],
    ['za drogie', -1],
    ['za drogi', -1],
    ['za dużo', -1],
    ['za mało', -1],
    ['za długo', -1],
    ['za wolno', -1],
    ['za wolne', -1],
    ['za wiele', -1],
    ['za często', -1],
    ['za bardzo', -0.7],
    ['za trudne', -1],
    ['cały czas', -0.3],
    ['dwa razy', -0.6],
    ['poza tym', 'but'],
    ['tylko że', 'but'],
    ['za każdym razem', -0.3],
    ['nie działa', -1],
    ['nie dziala', -1],
    ['nie odpowiada', -1],
    ['się kręci', -0.8],
    ['szkoda gadać', -1],
    ['mnie dobija', -1],
    ['płacić więcej', -1],
    ['mniej funkcji', -1],
    ['no super', -0.6],
    ['no pięknie', -1],
    ['mogłaby być lepsza', -0.7],
    ['mogłoby być lepiej', -0.7],
  ],
  not: `nie nigdy bez ani brak nic żadnych żadnego żaden żadna`,
  notNeutral: `wiem wiadomo zdania komentarza pewien pewna jestem jeszcze mam narazie razie`,
  but: `ale lecz jednak natomiast chociaż choć aczkolwiek`,
  down: `trochę nieco lekko troszkę ciut`,
  up: `bardzo mega naprawdę strasznie totalnie kompletnie zupełnie całkiem wyjątkowo super`,
  too: `zbyt`,
  ironic: `no super|super,|no pięknie|pięknie,|wow|dzięki za|dziękuję za|uwielbiam|świetnie,|brawo,`,
  click: `kliknąłem kliknęłam klikam kliknąć kliknięciu klikając nacisnąłem nacisnęłam naciskam wcisnąłem wcisnęłam
    wybrałem wybrałam`,
  stop: `i w we z ze na do to jest są się że o od po za dla jak lub czy a mi mnie mój moja moje nasz nasza nasze
    ten ta te tym tego ich jego jej już tylko też co tak być był była było by przez przy pod nad jako który która
    które mam ma mamy masz tu tam gdzie kiedy jeszcze nawet sobie sam sama tej tych tą tę temu ktoś coś wszystko
    wszyscy aby żeby bo więc u oraz ją go mu jej nam was wam wy my ja ty on ona ono oni one razie teraz raz
    trzy pięć minut godzinę dni dzień dzisiaj wczoraj`,
  generic: `super dobry dobre dobra dobrze świetne świetny fajne fajny polecam dzięki dziękuję ok okej źle zły złe
    spoko bardzo
    mogę mogłem mogłam możemy móc znaleźć znalazłem znalazłam chcę chciałem chciałam używam ciągle znowu dwa razy
    minuty godziny`,
  topics: {
    price: `cen* cennik* drog* drożej tani* koszt* płac* płatn* opłat* faktur* abonament* subskrypc* plan planu plany
      planów zwrot* zniżk* rabat* pieniądz* pieniędz* złot* darmow* zdzierstw* podwyżk*`,
    speed: `woln* wolno wolniej szybk* szybko ładuj* ładow* ładowa* wczytuj* wydajn* czekał* czekam wieki tnie przycina*
      zacina* laguj* kręci muli`,
    bugs: `błąd* błęd* zepsu* awari* crash* wywala* wysypuj* sypie zawiesza* zawiesił* zamarz* bug* 500 404 pust*`,
    onboarding: `onboarding* konfigur* instalac* rejestrac* kroki kroków krok* wdroż* start* początk* zakładani* aktywac*
      potwierdz*`,
    team: `zespół zespoł* zespol* zapros* zaprosz* kolega kolegę koleg* koleżank* użytkownik* członk* udostępn*
      współprac* uprawnie*`,
    support: `wsparci* support* pomoc odpowiedź odpowiedz* odpisał* odpisali odezwał* kontakt* zgłoszeni* konsultant*`,
    docs: `dokumentac* instrukc* przykład* poradnik* samouczek* artykuł*`,
    integrations: `integrac* połącz* podłącz* synchronizac* synchroniz* slack* zapier* hubspot* salesforce stripe jir* github*
      google api webhook* wtyczk* sso`,
    data: `eksport* import* dane danych csv pdf excel* raport* wykres* pobier* liczby wiersz* panel* statystyk*`,
    design: `design* wygląd* interfejs* układ* kolor* motyw* ciemny brzydk* ładn* przycisk* menu czcionk* ikon*`,
  },
}
