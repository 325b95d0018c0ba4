/**
 * The words extraction looks for, in English, Korean, Chinese, Spanish and Russian (and a little French, German and
 * Portuguese where a word is cheap to add). Patterns are written to be bounded: no nested quantifiers, so no input can
 * make them backtrack for long.
 */

/** Countries by the names, adjectives and domains a notice uses for them → ISO 3166-1 alpha-2. */
export const COUNTRY_NAMES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bHong Kong\b|\bHKSAR\b|香港|홍콩|Гонконг/i, 'HK'],
  [/\bMacau\b|\bMacao\b|澳門|澳门/i, 'MO'],
  [/\bTaiwan\b|臺灣|台湾|台灣|대만|Тайвань|警政署|中華民國|臺北市|台北市|新北市|高雄市/i, 'TW'],
  [
    /\b(People'?s Republic of )?China\b|\bChinese\b|\bPRC\b|\bBeijing\b|\bShanghai\b|\bGuangdong\b|\bShenzhen\b|中国|中華人民共和國|中华人民共和国|北京|上海|公安部|중국|Кита[йяе]|(?<![А-Яа-я])КНР(?![А-Яа-я])/i,
    'CN',
  ],
  [
    /\b(Republic of |South )Korea\b|\bKorean?\b|\bSeoul\b|\bBusan\b|\bIncheon\b|\bGyeonggi\b|대한민국|한국|서울|부산|경찰청|전기통신사업법|형사소송법|정보통신망|韓國|韩国|Коре[яи]/i,
    'KR',
  ],
  [/\bJapan(ese)?\b|日本|일본|Япони[яи]/i, 'JP'],
  [
    /\bUnited States\b|\bUNITED STATES\b|\bU\.S\.A?\.?(?=\W)|\bUSA\b|\bFBI\b|\bFederal Bureau of Investigation\b|\bU\.S\. District Court\b|\bU\.S\.C\.|美国|미국|\bEstados Unidos\b|(?<![А-Яа-я])США(?![А-Яа-я])/,
    'US',
  ],
  [
    /\bUnited Kingdom\b|\bU\.K\.(?=\W)|\bEngland\b|\bScotland\b|\bWales\b|\bLondon\b|\bMetropolitan Police Service\b|\bNational Crime Agency\b|\b(Greater Manchester|Merseyside|West Midlands|West Yorkshire|Thames Valley|Northumbria|Kent|Essex) Police\b|\bPolice Scotland\b|\bInvestigatory Powers Act\b|\bPolice and Criminal Evidence Act\b|\bComputer Misuse Act\b|英国|영국|\bReino Unido\b|Великобритани/i,
    'GB',
  ],
  [
    /\bRussian Federation\b|\bRussia\b|\bMoscow\b|Российской Федерации|Российская Федерация|Росси[йяи]|(?<![А-Яа-я])РФ(?![А-Яа-я])|МВД России|Москв|Роскомнадзор|УК РФ|УПК РФ|Следственн[а-я]+ комитет[а-я]* Российской|-ФЗ|俄罗斯|러시아/i,
    'RU',
  ],
  [
    /\bSpain\b|\bEspaña\b|\bespañol[a]?\b|\bGuardia Civil\b|\bPolicía Nacional\b|\bMossos d'Esquadra\b|\bMadrid\b|\bBarcelona\b|西班牙|스페인|Испани[яи]/i,
    'ES',
  ],
  [
    /\bMexico\b|\bMéxico\b|\bmexican[oa]?\b|\bJalisco\b|\bGuadalajara\b|\bNuevo León\b|\bMonterrey\b|\bCDMX\b|\bPuebla\b|\bVeracruz\b|墨西哥|멕시코/i,
    'MX',
  ],
  [/\bArgentina\b|\bArgentin[oa]\b|\bBuenos Aires\b|\bC[óo]rdoba\b|\bRosario\b|\bMendoza\b|\bPolic[ií]a Federal Argentina\b/i, 'AR'],
  [/\bColombia\b|\bBogot[áa]\b|\bMedell[íi]n\b|Fiscal[íi]a General de la Naci[óo]n(?! Argentina)/i, 'CO'],
  [/\bChile\b/i, 'CL'],
  [/\bPer[uú]\b/i, 'PE'],
  [/\bBrazil\b|\bBrasil\b/i, 'BR'],
  [/\bGermany\b|\bDeutschland\b|\bBundeskriminalamt\b|독일|德国/i, 'DE'],
  [/\bFrance\b|\bfrançaise?\b|\bGendarmerie\b|프랑스|法国/i, 'FR'],
  [/\bItaly\b|\bItalia\b/i, 'IT'],
  [/\bNetherlands\b|\bNederland\b/i, 'NL'],
  [
    /\bIndia\b|\bIndian\b|\bCentral Bureau of Investigation\b|\b(Mumbai|Delhi|Bengaluru|Bangalore|Hyderabad|Chennai|Kolkata) Police\b|\bInformation Technology Act\b|\bBharatiya\b/i,
    'IN',
  ],
  [/\bTurkey\b|\bTürkiye\b/i, 'TR'],
  [/\bUkrain[ea]\b|Украин[аыі]/i, 'UA'],
  [/\bBelarus\b|(?<![А-Яа-я])Беларус/i, 'BY'],
  [/\bKazakhstan\b|\bAlmaty\b|\bAstana\b|(?<![А-Яа-я])(?:Казахстан|Алматы|Астан[аы])/i, 'KZ'],
  [/\bVietnam\b|\bViet Nam\b|越南|베트남/i, 'VN'],
  [/\bThailand\b/i, 'TH'],
  [/\bIndonesia\b/i, 'ID'],
  [/\bPhilippines\b/i, 'PH'],
  [/\bSingapore\b|新加坡/i, 'SG'],
  [/\bMalaysia\b/i, 'MY'],
  [
    /\bAustralia\b|\bAustralian\b|\b(Queensland|New South Wales|Victoria Police|South Australia|Western Australia|Tasmania|Northern Territory|Australian Federal Police|Australian Capital Territory)\b|\b(Sydney|Melbourne|Brisbane|Perth|Adelaide)\b|\(Qld\)|\(NSW\)|\(Vic\)|\(Cth\)/i,
    'AU',
  ],
  [
    /\bCanada\b|\bCanadian\b|\bRCMP\b|\bOntario Provincial Police\b|\bS[ûu]ret[ée] du Qu[ée]bec\b|\bToronto Police\b|\bCriminal Code of Canada\b/i,
    'CA',
  ],
  [/\bNew Zealand\b|\bAotearoa\b/i, 'NZ'],
  [/\bIreland\b|\bGarda\b|\bAn Garda S[ií]och[áa]na\b/i, 'IE'],
  [/\bPortugal\b|\bPol[ií]cia Judici[áa]ria\b/i, 'PT'],
  [/\bBolivia\b/i, 'BO'],
  [/\bEcuador\b/i, 'EC'],
  [/\bVenezuela\b/i, 'VE'],
  [/\bUruguay\b/i, 'UY'],
  [/\bParaguay\b/i, 'PY'],
  [/\bGuatemala\b/i, 'GT'],
  [/\bCosta Rica\b/i, 'CR'],
  [/\bNigeria\b/i, 'NG'],
  [/\bSouth Africa\b|\bSAPS\b/i, 'ZA'],
  [/\bKenya\b/i, 'KE'],
  [/\bEgypt\b/i, 'EG'],
  [/\bSaudi Arabia\b/i, 'SA'],
  [/\bUnited Arab Emirates\b|\bDubai Police\b|\bAbu Dhabi\b/i, 'AE'],
  [/\bSwitzerland\b|\bSchweiz\b|\bSuisse\b/i, 'CH'],
  [/\bAustria\b|\b[ÖO]sterreich\b/i, 'AT'],
  [/\bBelgium\b|\bBelgique\b|\bBelgi[ëe]\b/i, 'BE'],
  [/\bSweden\b|\bSverige\b|\bPolismyndigheten\b/i, 'SE'],
  [/\bNorway\b|\bNorge\b/i, 'NO'],
  [/\bDenmark\b|\bDanmark\b/i, 'DK'],
  [/\bFinland\b|\bSuomi\b/i, 'FI'],
  [/\bCzech\b|\bČesk[áé]\b/i, 'CZ'],
  [/\bRomania\b|\bRom[âa]nia\b/i, 'RO'],
  [/\bGreece\b|\bHellenic Police\b/i, 'GR'],
  [/\bHungary\b|\bMagyarorsz[áa]g\b/i, 'HU'],
  [/\bPakistan\b/i, 'PK'],
  [/\bBangladesh\b/i, 'BD'],
  [/\bIsrael\b/i, 'IL'],
  [/\bPoland\b|\bPolska\b/i, 'PL'],
];

/** Country-code top-level domains that name a country (a government domain such as police.go.kr says KR). */
export const TLD_COUNTRIES: Readonly<Record<string, string>> = {
  kr: 'KR',
  cn: 'CN',
  hk: 'HK',
  tw: 'TW',
  jp: 'JP',
  ru: 'RU',
  es: 'ES',
  mx: 'MX',
  ar: 'AR',
  co: 'CO',
  cl: 'CL',
  pe: 'PE',
  br: 'BR',
  de: 'DE',
  fr: 'FR',
  it: 'IT',
  nl: 'NL',
  in: 'IN',
  tr: 'TR',
  ua: 'UA',
  by: 'BY',
  kz: 'KZ',
  vn: 'VN',
  th: 'TH',
  id: 'ID',
  ph: 'PH',
  sg: 'SG',
  my: 'MY',
  au: 'AU',
  ca: 'CA',
  pk: 'PK',
  bd: 'BD',
  il: 'IL',
  pl: 'PL',
  uk: 'GB',
  gov: 'US',
  mil: 'US',
};

/** Regions and cities an agency's name may start with: the request's subdivision. */
export const SUBDIVISIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(Beijing|北京)/i, 'Beijing'],
  [/^(Shanghai|上海)/i, 'Shanghai'],
  [/^(Guangdong|广东)/i, 'Guangdong'],
  [/^(Shenzhen|深圳)/i, 'Shenzhen'],
  [/^(Seoul|서울)/i, 'Seoul'],
  [/^(Busan|부산)/i, 'Busan'],
  [/^(Gyeonggi|경기)/i, 'Gyeonggi'],
  [/^(Incheon|인천)/i, 'Incheon'],
  [/^(California|Los Angeles|San Francisco)/i, 'California'],
  [/^(New York)/i, 'New York'],
  [/^(Texas|Houston|Dallas)/i, 'Texas'],
  [/^(Florida|Miami)/i, 'Florida'],
  [/^(Moscow|Москв|Московск)/i, 'Moscow'],
  [/^(Saint Petersburg|St\.? Petersburg|Санкт-Петербург)/i, 'Saint Petersburg'],
  [/^(Madrid)/i, 'Madrid'],
  [/^(Barcelona|Catalu[ñn]a|Mossos)/i, 'Catalonia'],
  [/^(Andaluc[ií]a|Sevilla)/i, 'Andalusia'],
  [/^(Ciudad de México|CDMX)/i, 'Ciudad de México'],
  [/^(Jalisco|Guadalajara)/i, 'Jalisco'],
  [/^(Nuevo León|Monterrey)/i, 'Nuevo León'],
  [/^(Ontario|Toronto)/i, 'Ontario'],
  [/^(Qu[ée]bec|Montr[ée]al|S[ûu]ret[ée] du Qu[ée]bec)/i, 'Quebec'],
  [/^(British Columbia|Vancouver)/i, 'British Columbia'],
  [/^(Queensland|Brisbane)/i, 'Queensland'],
  [/^(New South Wales|NSW|Sydney)/i, 'New South Wales'],
  [/^(Victoria Police|Melbourne)/i, 'Victoria'],
  [/^(Western Australia|Perth)/i, 'Western Australia'],
  [/^(South Australia|Adelaide)/i, 'South Australia'],
  [/^(Tasmania)/i, 'Tasmania'],
  [/^(Buenos Aires|Polic[ií]a de la Ciudad de Buenos Aires|Polic[ií]a de la Provincia de Buenos Aires)/i, 'Buenos Aires'],
  [/^(Bayern|Bavaria|Landeskriminalamt Bayern)/i, 'Bavaria'],
  [/^(Berlin)/i, 'Berlin'],
  [
    /^(Alabama|Alaska|Arizona|Arkansas|Colorado|Connecticut|Delaware|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Utah|Vermont|Virginia|Washington State|West Virginia|Wisconsin|Wyoming) State (Police|Patrol|Bureau of Investigation)/i,
    'US-STATE',
  ],
  [/^(Bavaria|Bayern|München|Munich)/i, 'Bavaria'],
];

/** Words that make a name an organisation: the requesting agency or its unit. */
export const ORGANISATION_WORD =
  /\b(Police|Polic[ií]a|Ministry|Ministerio|Department|Departamento|Bureau|Office|Agency|Agencia|Commission|Comisi[óo]n|Court|Tribunal|Juzgado|Prosecutor'?s?|Prosecution|Fiscal[ií]a|Procuradur[ií]a|Sheriff'?s?|Authority|Administration|Association|Force|Constabulary|Gendarmerie|Guardia Civil|Directorate|Direcci[óo]n|Service|Servicio|Unit|Unidad|Division|Divisi[óo]n|Brigade|Brigada|Squad|Team|Section|Secretar[ií]a|Center|Centre|Council|Government|Regulator|Inspectorate|Attorney(?:'s Office)?|Attorney General|Minist[èe]re|Pr[ée]fecture|Parquet|Minist[ée]rio|Pol[ií]cia Federal|Procuradoria)\b/i;

/** Organisation words in scripts without word breaks (Korean, Chinese) and in Russian. */
export const ORGANISATION_WORD_CJK_RU =
  /(경찰청|경찰서|지방경찰청|검찰청|지방검찰청|수사대|수사단|수사과|수사팀|수사부|형사부|상황실|지구대|파출소|사이버수사|법원|방송통신위원회|위원회|公安部|公安局|公安厅|分局|网安|网信办|互联网信息办公室|国家安全部|法院|检察院|管理局|委员会|保卫局|协会|МВД|Министерств[оа]|Управлени[ея]|Прокуратур[аы]|Роскомнадзор|РОСКОМНАДЗОР|Следственн[а-я]+ комитет[а-я]*|полици[яи]|ФСБ|Федеральн[а-я]+ служб[а-я]+|[Оо]тдел[а-я]*|Департамент[а-я]*|Главн[а-я]+ управлени[ея]|[Уу]правлени[ея]|警察局|警政署|警察署|調查局|檢察署|法務部|內政部|警察廳|警察庁|警視庁|पुलिस|मंत्रालय|न्यायालय)/;

/** Words for a unit inside an agency; "X Department of the Y Ministry" splits at "of the". */
export const UNIT_WORD =
  /\b(Department|Bureau|Division|Unit|Section|Team|Squad|Brigade|Office|Center|Centre|Directorate|Unidad|Brigada|Secci[óo]n|Divisi[óo]n|Departamento|Grupo)\b/i;

/** Words for a top-level body: what comes after "of the" when splitting a unit from its agency. */
export const TOP_LEVEL_WORD =
  /\b(Ministry|Police|Force|Government|Agency|Commission|Administration|Association|Court|Prosecutor|Authority|Ministerio|Polic[ií]a|Guardia Civil|Fiscal[ií]a|Council|Constabulary|Gendarmerie|Federal|Attorney|Minist[èe]re|Minist[ée]rio|Pr[ée]fecture|Parquet)\b/i;

/** Closings after which a signature block follows. */
export const CLOSING =
  /^(best regards|kind regards|warm regards|regards|best wishes|best|sincerely|yours sincerely|yours faithfully|yours truly|respectfully|thank you|thanks|many thanks|cordialmente|atentamente|saludos cordiales|un saludo|saludos|с уважением|искренне ваш[а]?|감사합니다|고맙습니다|此致|敬礼|此致敬礼|谢谢|致礼)[,.!:\s]*$/i;

export const TITLE_WORD =
  /(?<![\p{L}])(?:Det\.|Sgt\.|Lt\.|Capt\.|Insp\.|Lic\.|Supt\.|Cst\.|Const\.|(?:DC|DS|DI|DCI|DSU|PC|PS)(?=\s))|\b(Detective|Officer|Inspector|Chief Inspector|Superintendent|Sergeant|Constable|Special Agent|Agent|Lieutenant|Captain|Investigator|Prosecutor|District Attorney|Attorney|Commissioner|Director|Deputy|Chief|Analyst|Head of|Manager|Coordinator|Comisario|Inspector|Subinspector|Agente|Oficial|Fiscal|Capit[áa]n|Teniente|Sargento|Investigador[a]?)\b|(경위|경감|경정|경사|경장|순경|총경|수사관|검사|팀장|과장|警官|警察|民警|警员|警督|探长|科长|处长|主任|检察官|следователь|оперуполномоченный|старший|майор|капитан|лейтенант|подполковник|полковник|начальник|инспектор|Следователь)/iu;

/** Kinds of request, strongest cue first within each. */
export const KIND_CUES: ReadonlyArray<{ kind: 'emergency' | 'preservation' | 'removal' | 'disclosure'; pattern: RegExp; weight: number }> =
  [
    {
      kind: 'emergency',
      pattern:
        /\bemergency (disclosure|data|request)\b|\bexigent\b|\b2702\s*\(b\)\s*\(8\)|\b2702\s*\(c\)\s*\(4\)|긴급\s*(제공|요청|자료)|紧急(调取|请求|协助)|solicitud de emergencia|divulgaci[óo]n de emergencia|экстренн[а-я]+ (запрос|раскрыти)/i,
      weight: 3,
    },
    {
      kind: 'preservation',
      pattern:
        /\bpreserv(e|ation|ing)\b|\b2703\s*\(f\)|\bretain (the )?(records|data)\b|\bdata retention request\b|보전|보존\s*(요청|조치)|保全|保存(相关)?(数据|资料|证据)|冻结|conservaci[óo]n|conservar|preservar|preservaci[óo]n|обеспечить сохранность|сохранени[ея] (данных|информации)|сохранить/i,
      weight: 2,
    },
    {
      kind: 'removal',
      pattern:
        /\b(remove|removal|delete|deletion|take\s+(it\s+)?(down|off)|takedown|shut down|disable|suspend|ban|block (the )?access|geo-?block|restrict access|block)\b|삭제|차단|게시\s*중단|접속\s*차단|删除|清除|封禁|屏蔽|下架|移除|关闭|eliminar|retirar|bloquear|bloque(?:o|en|e)\b|dar de baja|suprimir|удал(ить|ени[еяю]|ите|ено)|заблокир|блокировк|ограничить доступ|ограничени[еяю] доступа|lösch(?:en|ung)|sperr(?:en|ung)|entfern(?:en|ung)|supprim(?:er|ez|ée?s?)|suppression|retrait|retirer|bloquer|blocage|d[ée]r[ée]f[ée]rencement|bloqueio|suspens[ãa]o|remo[çc][ãa]o|remover|retirada|erişim(?:in)? engel|engellenmesi|kaldırılması|içeriğin (?:yayından )?çıkarılması|हटा|ब्लॉक/i,
      weight: 1,
    },
    {
      // A register notice (Russia's unified register of prohibited information) or an access-block decision: removal.
      kind: 'removal',
      pattern:
        /внесен[а-я]* в (?:Единый )?реестр|Единый реестр|включени[ея] в реестр|erişimin engellenmesine karar|access[- ]block(?:ing)? (?:decision|order)|blocking order|injonction de retrait|ordem de bloqueio|takedown (?:notice|order)|removal order/i,
      weight: 2,
    },
    {
      // The standard U.S. forms and their titles: AO 93 (search and seizure warrant), AO 106 (application),
      // affidavits, pen-register and trap-and-trace orders, grand-jury subpoenas, Stored Communications Act orders.
      kind: 'disclosure',
      pattern:
        /\bsearch and seizure warrant\b|\bAO 9[3]\b|\bAO 106\b|\bapplication for a (?:search )?warrant\b|\baffidavit in support\b|\bpen register\b|\btrap and trace\b|\bgrand jury subpoena\b|\bStored Communications Act\b|\b2703\s*\(c\)|\b(?:production|disclosure) order\b|\border (?:for|requiring) (?:the )?(?:production|disclosure)\b/i,
      weight: 3,
    },
    {
      kind: 'disclosure',
      pattern:
        /\b(disclose|disclosure|provide|produce|furnish|release) (the |all |any )?(following |relevant )?(records|information|data|details|subscriber|account|content|logs)\b|\bsubscriber (information|data|records)\b|\b(IP|login|access|connection) (logs|records|history)\b|\bsubpoena\b|\bsearch warrant\b|\b2703\s*\(d\)|자료\s*(제공|요청)|통신(자료|사실)|가입자\s*정보|압수\s*수색|调取|調取|提供.{0,12}(资料|信息|数据|记录|資料|紀錄|記錄)|注册信息|proporcionar|facilitar|remitir|aportar|Auskunft|Bestandsdaten|Herausgabe (?:der|von) (?:Daten|Nutzerdaten)|communication des (?:données|informations)|réquisition|communiquer les|fornec(?:er|imento) (?:de |os |das )?(?:dados|informações)|dados cadastrais|quebra de sigilo|bilgilerin (?:verilmesi|gönderilmesi)|informaci[óo]n (del|de los) (usuario|suscriptor|titular)|datos (del|de) (usuario|suscriptor|titular|registro)|предостав(ить|ьте|ление)|сведения об|информаци[юя] о (пользовател|владельц|абонент)/i,
      weight: 2,
    },
  ];

export const EMERGENCY_CLAIM =
  /\b(imminent (danger|threat|risk)|threat to (the )?life|danger to (the )?life|risk to (the )?life|death or serious (physical |bodily )?injury|serious (physical |bodily )?(injury|harm)|(threat|risk|attempt|danger)s? (of |to commit )?suicide|suicidal (intent|ideation|statements?|posts?|messages?|threats?)|threaten(ed|ing|s)? (to commit )?suicide|kidnapp(ed|ing)|abduct(ed|ion)|hostage|child (is )?in danger|missing child|life[- ]threatening|exigent circumstances)\b|생명|신체에 대한 (위험|위해)|자살\s*(시도|위험|암시|예고|우려)|납치|인질|실종 아동|生命危险|人身安全|危及生命|自杀(倾向|风险|企图)|扬言自杀|绑架|人质|peligro inminente|riesgo (para|contra) la vida|amenaza (para|contra) la vida|secuestr|(riesgo|intento|amenaza) de suicidio|rehén|угроз[аыу] жизни|опасност[ьи] для жизни|похищени|(угроз[аы]|попытк[аи]|риск) суицида|заложник/i;

export const URGENCY =
  /\b(urgent(ly)?|as soon as possible|asap|at (the|your) earliest( time)?( possible)?|immediately|without delay|time[- ]sensitive|promptly|expedite[d]?)\b|긴급|즉시|조속히|신속히|빠른 시일|尽快|紧急|立即|火速|从速|urgente|urgencia|a la mayor brevedad|lo antes posible|de inmediato|inmediatamente|срочно|незамедлительно|в кратчайшие сроки|безотлагательно|немедленно/i;

export const NON_DISCLOSURE =
  /\b(non-?disclosure|gag order|do not (notify|inform|disclose|alert|tell)|not (to )?(notify|inform|disclose to|alert) (the )?(user|subscriber|account holder|customer|target)|refrain from notifying|2705\s*\(b\)|delay(ed)? notice|confidential(ity)? (request|order|of this request))\b|통지하지|알리지 (말|마)|비밀\s*유지|보안\s*유지|不要?告知|请勿(告知|通知|透露)|保密|no (notificar|informar|comunicar) al (usuario|titular|suscriptor|cliente)|confidencialidad|mantener (la )?reserva|не уведомлять|не (сообщать|информировать) (пользовател|владельц|абонент)|не разглашать|конфиденциальн/i;

/** Offences a notice names as what is investigated: the words, in each language, before any statute. */
export const OFFENCE =
  /\b(access device fraud|wire fraud|bank fraud|computer fraud|identity theft|fraud|extortion|sextortion|blackmail|child (?:sexual )?(?:abuse|exploitation)(?: material)?|CSAM|terrorism|terrorist (?:content|offences?)|apology of terrorism|harassment|stalking|threats?|murder|homicide|kidnapping|human trafficking|drug trafficking|money laundering|defamation|copyright infringement|hacking|unauthori[sz]ed access|phishing|ransomware|distribution of malware)\b|사기|협박|공갈|명예훼손|아동\s*성착취물|마약|诈骗|敲诈勒索|诽谤|赌博|洗钱|詐欺|恐嚇|estafa|fraude|extorsi[óo]n|amenazas|acoso|secuestro|pornograf[ií]a infantil|мошенничеств[оа]|вымогательств[оа]|экстремизм|terrorisme|escroquerie|harcèlement|Betrug|Erpressung|Beleidigung|dolandırıcılık|estelionato|fraude eletrônica/i;

/** A notice that renews or extends an earlier order or preservation. */
export const RENEWAL =
  /\b(renew(?:al|ed|ing)?|extend(?:ed|ing)? (?:the )?(?:preservation|order|period)|extension of (?:the )?(?:preservation|order|period)|second (?:90|ninety)-day|additional (?:90|ninety)[- ]day)\b|연장|延长|延長|pr[óo]rroga|prorrogar|продлени[ея]|продлить|prolongation|Verlängerung/i;

/** Data categories, each by the phrases that name it (specific phrases: "IP address" alone is not a category). */
export const CATEGORY_CUES: ReadonlyArray<readonly [string, RegExp]> = [
  [
    'subscriber',
    /\b(subscriber|subscription|registration|account|basic) (information|info|data|details|records)\b|\b(name|names), (e-?mail|address|phone)|\buser (information|details|data)\b|가입자\s*정보|인적\s*사항|회원\s*정보|가입\s*정보|注册信息|用户信息|身份信息|实名信息|註冊資料|使用者資料|用戶資料|datos (del|de) (suscriptor|titular|registro|usuario)|informaci[óo]n (del|de) (suscriptor|titular|usuario|registro)|регистрационн[а-я]+ (данн|сведен)|(данные|сведения) о (владельц|пользовател|абонент)|анкетные данные/i,
  ],
  [
    'traffic',
    /\b(IP|login|log-?in|access|connection|session|traffic) (address )?(logs?|records?|history|data)\b|\bIP addresses used\b|접속\s*(IP|아이피)|\bmetadata\b|접속\s*(기록|로그)|로그인\s*(기록|내역)|IP\s*(주소\s*)?(기록|내역)|통신사실|登录(日志|记录)|登入\s*(IP\s*)?(紀錄|記錄)|IP(地址)?(记录|日志)|IP\s*(位址\s*)?(紀錄|記錄)|访问(日志|记录)|registros? de (conexi[óo]n|acceso|IP)|direcciones IP (utilizadas|de conexi[óo]n)|(журнал|логи|истори)[а-я]* (подключени|входов|авторизаци|IP)|IP-адрес[а-я]* (подключени|входа)|сведения о соединениях/i,
  ],
  [
    'content',
    /\b(content|contents) of (the )?(communications?|messages?|account|posts?|e-?mails?)\b|\b(private |direct )?messages (sent|received|exchanged)\b|\bchat (logs|history|records)\b|\bstored (content|communications)\b|대화\s*내용|메시지\s*내용|채팅\s*기록|게시물\s*내용|聊天记录|通信内容|消息内容|私信|contenido de (las )?(comunicaciones|mensajes|la cuenta)|mensajes (enviados|recibidos)|содержани[ея] (переписки|сообщений|переговоров)|переписк[аиу]/i,
  ],
  [
    'location',
    /\b(location|geolocation|GPS|cell[- ]site) (data|information|history|records)\b|위치\s*정보|位置信息|定位|datos de (ubicaci[óo]n|geolocalizaci[óo]n|localizaci[óo]n)|геолокац|местоположени/i,
  ],
  [
    'device',
    /\b(?:device (?:information|identifiers?|data|records|details)|IMEI|hardware identifiers?|MAC address(?:es)?)\b|기기\s*정보|단말기|设备信息|IMEI|dispositivo|устройств[а-я]* (идентификатор|данные)|IMEI/i,
  ],
  [
    'payment',
    /\b(payment|billing|credit card|transaction|purchase) (information|records|data|details|history)\b|결제\s*정보|결제\s*내역|支付(信息|记录)|交易记录|datos (de pago|bancarios|de facturaci[óo]n)|(платежн|банковск)[а-я]* (данн|сведен|реквизит)/i,
  ],
];

export const INSTRUMENT_CUES: ReadonlyArray<readonly [string, RegExp]> = [
  [
    'search_warrant',
    /\bsearch warrant\b|\bwarrant\b|압수\s*수색\s*(검증\s*)?영장|영장|搜查证|搜查令|orden de (entrada y )?registro|mandamiento judicial|ордер на обыск/i,
  ],
  [
    'interception_order',
    /\b(wiretap|interception) (order|warrant)\b|\bTitle III\b|통신제한조치|监听|intervenci[óo]n de las comunicaciones|прослушивани/i,
  ],
  ['communication_confirmation_permit', /통신사실\s*확인자료\s*제공\s*요청\s*허가|통신사실확인자료/],
  [
    'court_order',
    /\bcourt order\b|\b2703\s*\(d\)\s*order\b|\border of the court\b|\bjudicial order\b|법원\s*(의\s*)?(명령|결정)|法院(裁定|命令|决定)|auto judicial|orden judicial|resoluci[óo]n judicial|постановлени[ея] суда|решени[ея] суда|определени[ея] суда/i,
  ],
  ['subpoena', /\bsubpoena\b|\bcivil investigative demand\b|\badministrative summons\b|citaci[óo]n|повестк/i],
  [
    'preservation_order',
    /\bpreservation (letter|request|order)\b|\b2703\s*\(f\)|보전\s*요청|保全(通知|请求)|solicitud de conservaci[óo]n|запрос о сохранении/i,
  ],
  [
    'production_order',
    /\bproduction order\b|\bEuropean Production Order\b|\bdisclosure order\b|调取证据通知书|orden de (entrega|producci[óo]n)|требовани[ея] о предоставлении/i,
  ],
  [
    'mlat_request',
    /\bMLAT\b|\bmutual legal assistance\b|사법공조|司法协助|asistencia (jur[ií]dica|judicial) mutua|взаимной правовой помощи/i,
  ],
  [
    'emergency_request',
    /\bemergency disclosure request\b|\bemergency (data )?request\b|긴급\s*(자료\s*)?제공\s*요청|紧急调取|solicitud de emergencia|экстренн[а-я]+ запрос/i,
  ],
];

/** Phrases that introduce a contact value in a signature. */
export const CONTACT_LABEL = {
  email:
    /(e-?mail|email address|mail|이메일|전자우편|邮箱|电子邮件|電郵|correo( electr[óo]nico)?|электронн[а-я]+ почт[а-я]*|почта)\s*[:：]?\s*$/i,
  phone:
    /(tel(ephone)?\.?|t[ée]l[ée]?(?:phone|efon|efone)?\.?|ph\.?|phone|mobile|cell|direct line|전화(번호)?|연락처|휴대폰|电话|手机|聯絡電話|tel[ée]fono|m[óo]vil|тел(ефон)?\.?|моб\.?)\s*(no\.?|number|#)?\s*[:：]?\s*$/i,
  fax: /(fax|facsimile|팩스|传真|факс)\s*(no\.?|number)?\s*[:：]?\s*$/i,
  address: /^\s*(address|postal address|mailing address|주소|地址|通讯地址|direcci[óo]n|domicilio|адрес)\s*[:：]\s*/i,
};

/** Words that mark an identifier as the one asked about (a target), not the sender's own contact. */
export const TARGET_CONTEXT =
  /\b(account|accounts|user|users|username|usernames|target|targets|subscriber|suspect|suspects|identifier|registered|associated|belonging|profile|handle|holder|owner)\b|계정|아이디|사용자|가입자|피의자|账号|帐号|用户|嫌疑人|cuenta|usuario|titular|investigad[oa]|sospechos[oa]|аккаунт|пользовател|учетн|абонент|подозреваем/i;

/** Words after which a quoted name or a list is a username. */
export const USERNAME_INTRO =
  /(\b(users?|usernames?|user names?|accounts?|account names?|handles?|nicknames?|screen ?names?|profiles?|channels?|publishers?)\b|아이디|계정명?|닉네임|사용자(명)?|用户名|用戶名|使用者名稱|账号|帐号|帳號|帳戶|昵称|暱稱|用户|用戶|\b(usuarios?|cuentas?|nombres? de usuario|perfil(es)?)\b|\b(Benutzername[ns]?|Nutzername[ns]?|Nutzerkonto|Konto|nom d'utilisateur|compte|utilisateur|pseudonyme|usuário|nome de usuário|conta|kullanıcı adı|hesab[ıi])\b|пользовател[а-я]*|аккаунт[а-я]*|логин[а-я]*|никнейм[а-я]*|учетн[а-я]+ запис[а-я]+)/i;

export const CASE_LABEL =
  /\b(?:case|file|docket)\s+(?=[A-Z]{0,4}-?\d{2})|(case|file|docket|incident|investigation|crime|occurrence|report|cause|matter|claim|misc\.?|mag\.?|magistrate|magistrate judge|grand jury|court file|criminal|(?:criminal )?proceedings)\s*(no\.?|number|num\.?|#|ref(erence)?\.?)\s*[:：#]?\s*|\b(?:Az\.|Aktenzeichen|Gesch(?:äfts|\.)-?Z(?:eichen|\.))\s*[:：]?\s*|noticia criminal\s*(?:n[º°o]\.?)?\s*[:：]?\s*|(?:D\.\s?İş|Esas|Değişik İş)\s*No\s*[:：]?\s*|(?:Inquérito|Processo)\s*(?:n[º°o]\.?)?\s*[:：]?\s*|사건\s*번호\s*[:：]?\s*|접수\s*번호\s*[:：]?\s*|案件?编号\s*[:：]?\s*|案号\s*[:：]?\s*|立案编号\s*[:：]?\s*|(carpeta de investigaci[óo]n|averiguaci[óo]n previa|expediente|causa|diligencias( previas)?|atestado|n[úu]mero de (caso|expediente))\s*(n[º°o]\.?|n[úu]m\.?)?\s*[:：]?\s*|(уголовн[а-я]+ )?дел[оау]\s*№\s*|номер дела\s*[:：]?\s*/i;

export const REFERENCE_LABEL =
  /(our|your|my)\s*ref(erence)?\.?\s*(no\.?|number)?\s*[:：#]?\s*|\bref(erence)?\.?\s*(no\.?|number|#)\s*[:：#]?\s*|\breference\s*[:：]\s*|\bletter\s*(no\.?|number)\s*[:：]?\s*|문서\s*번호\s*[:：]?\s*|文号\s*[:：]?\s*|(n[uú]mero de )?referencia\s*[:：]?\s*|исх(одящий)?\.?\s*№\s*|№\s*(?=[0-9A-ZА-Я])/i;

export const RANGE_JOIN = /^\s*(?:-|–|—|~|to|until|till|through|thru|and|至|到|부터|에서|al|hasta|a|y|по|до|и)(?:\s+(?:el|la|the))?\s*$/i;

/** Placeholder identifiers from templates: never targets. */
export const PLACEHOLDER_EMAIL =
  /^(name|email|e-mail|user|username|your\.?name|yourname|firstname\.lastname|first\.last|john\.doe|jane\.doe|someone|somebody|xxx+|abc|test|sample|example|info|correo|usuario|nombre|ejemplo|имя|почта|user\.name)@|@(email|domain|example|sample|yourdomain|company|xxx+|ejemplo|correo|dominio)\.(com|org|net|es|mx)$|@example\.|\.example$|@(test|invalid|localhost)$/i;

export const GOVERNMENT_HOST =
  /(^|\.)(gov|mil)(\.[a-z]{2})?$|(^|\.)go\.(kr|jp|id|th|ke|tz|ug)$|(^|\.)gob\.[a-z]{2}$|(^|\.)gouv\.[a-z]{2}$|(^|\.)gc\.ca$|(^|\.)police\.[a-z.]+$|(^|\.)polizei\.[a-z.]+$|(^|\.)policia\.[a-z.]+$|(^|\.)mvd\.ru$|(^|\.)europa\.eu$|(^|\.)admin\.ch$|(^|\.)bund\.de$|(^|\.)gov\.[a-z]{2}$|(^|\.)spo\.go\.kr$|(^|\.)scourt\.go\.kr$|(^|\.)mps\.gov\.cn$|(^|\.)cac\.gov\.cn$/i;

/** A cue written with single spaces matches across any run of white space, line breaks included. */
const flex = (pattern: RegExp): RegExp => new RegExp(pattern.source.replace(/ /g, '\\s+'), pattern.flags);
export const FLEX = { flex };
