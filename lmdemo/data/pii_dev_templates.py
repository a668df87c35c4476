"""Dev templates of the PII tagger: texts written apart from the training templates, to measure it.

These templates were written by another hand than ``TRAIN_TEMPLATES`` in ``lmdemo.data.pii_synthesis``,
without reading them, so that a score on them measures how the tagger does on text it never saw, as a
new user's data would be. ``pii_synthesis.dev_examples`` fills them (with another seed than training).

**Dev and benchmark use only: never train on them**, nor copy them into the training table; a template
that leaks into training turns the dev score into a training score.

The format is the training table's: plain strings whose ``{TYPE}`` slots Faker fills, ``{TYPE:k}`` for
the same person again (``{FIRST:1}: ...`` at a line's start, ``{FIRST:1}`` or ``{FIRST_LOWER:1}`` inside
another speaker's line), ``\\n`` between the lines of multi-line texts. About a quarter of each language's
templates are hard negatives: no person and no address, but capitalized words that are neither (cities,
companies, products, months, holidays, "Wall Street", "Will", "Grace", "Bill").
"""

DEV_TEMPLATES = {
    "en": [
        # -- chat and SMS, one message ---------------------------------------------------------------------
        "hey {FIRST_LOWER} r u coming tonight?",
        "Why is {FIRST} not answering her phone?",
        "Why did {FIRST} leave so early yesterday",
        "Is {FIRST} still at work or did she go home already?",
        "\"I'm not going,\" said {FIRST:1} to {FIRST:2}.",
        "{FIRST:1} told {FIRST:2} the car broke down again, so {FIRST:2} drove him all the way to {CITY}.",
        "omg {FIRST_LOWER} just texted me back lol",
        "can u ask {FIRST_LOWER} if she still has my charger",
        "Running late, tell {FIRST} to start without me",
        "{FIRST} and {FIRST} are getting married in {MONTH}!!",
        "Happy birthday {FIRST}!! 🎂 hope the cake is better than the one {FIRST} made last year",
        "Who is {FIRST}? She keeps liking all my photos",
        "Saw {NAME} at the gym today, he looks so different",
        "Pick up at {NUMBER_STREET} at {TIME}, ring the bell twice",
        "my new place is {ADDRESS}, come over whenever",
        "{FIRST:1} moved to {STREET}, right next to the bakery. Ask {FIRST_LOWER:1} for the door code.",
        "txt me when u get to {FIRST_LOWER}'s",
        "Mom said {FIRST} can't come to the sleepover because of the {WEEKDAY} game",
        "Did you hear what {FIRST:1} said about {FIRST:2}? {FIRST:2} is furious.",
        "and then {FIRST:1} goes 'you owe me {AMOUNT}' and I'm like no way {FIRST_LOWER:1}",
        "{FIRST}, your table is ready. Please come to the host stand.",
        "Hi, this is {FIRST} from {COMPANY}. Your technician will arrive between {TIME} and noon.",
        "Thanks {FIRST}! Got the package at {NUMBER_STREET} this morning",
        "where r u?? {FIRST_LOWER} and {FIRST_LOWER} are already here",
        "Voicemail from {PHONE}: \"Hi, it's {FIRST} from the dentist, calling to confirm {WEEKDAY} at {TIME}.\"",
        "hi im {FIRST_LOWER} and i live at {NUMBER_STREET}, can someone help me with my wifi",
        "Note to self: send {FIRST}'s present to\n{ADDRESS_LINES}",
        # -- chat transcripts ----------------------------------------------------------------------------
        "{FIRST:1}: are you still at the office?\n{FIRST:2}: yeah, stuck in a meeting with {FIRST:3}\n"
        "{FIRST:1}: ugh. dinner at 8?\n{FIRST:2}: ok, save me a seat {FIRST_LOWER:1}",
        "{FIRST:1}: {FIRST:2} did you finish the slides?\n{FIRST:2}: almost, {FIRST:3} is adding the numbers\n"
        "{FIRST:1}: great, send them to {EMAIL} when done\n{FIRST:2}: will do",
        "{FIRST:1}: where should I send the invitation?\n{FIRST:2}: {ADDRESS}\n{FIRST:1}: got it, thx\n"
        "{FIRST:2}: and don't tell {FIRST:3} about the party!!",
        "{FIRST:1}: happy anniversary {FIRST_LOWER:2} ❤️\n{FIRST:2}: aww thank you babe\n"
        "{FIRST:2}: {FIRST:3} says congrats too",
        "{FIRST:1}: Has anyone seen my keys?\n{FIRST:2}: check the car\n"
        "{FIRST:3}: {FIRST:1}, they're on the kitchen table\n{FIRST:1}: lifesaver, thanks {FIRST:3}",
        "{FIRST:1}: Can you lend me {AMOUNT} until {WEEKDAY}?\n{FIRST:2}: sure, what's your IBAN again?\n"
        "{FIRST:1}: {IBAN}\n{FIRST:2}: sent!",
        "{FIRST:1}: is the {PRODUCT} still for sale?\n{FIRST:2}: yes, pickup only, {NUMBER_STREET}\n"
        "{FIRST:1}: can I come {WEEKDAY} at {TIME}?\n{FIRST:2}: works for me. ask for me or my partner {FIRST:3}",
        "{FIRST:1}: Grandma's number changed\n{FIRST:2}: what is it now?\n{FIRST:1}: {PHONE}\n"
        "{FIRST:2}: thanks {FIRST:1}, I'll call her tonight",
        "{FIRST:1}: {FIRST_LOWER:2}!!! did u see the game\n{FIRST:2}: yes!!! {LAST:3} scored twice\n"
        "{FIRST:1}: unreal",
        "{FIRST:1}: Are you coming to {FIRST:3}'s farewell?\n{FIRST:2}: When is it?\n"
        "{FIRST:1}: {WEEKDAY}, {TIME}, at the pub on {STREET}\n{FIRST:2}: I'll be there",
        "Agent {FIRST:1}: Hello, you're chatting with {FIRST:1}. How can I help?\n"
        "Customer: Hi, my order {ORDER} never arrived.\n"
        "Agent {FIRST:1}: Sorry about that! Can you confirm the delivery address?\n"
        "Customer: {ADDRESS}, and the name on the order is {NAME:2}.",
        "[{TIME}] {FIRST:1}: lunch?\n[{TIME}] {FIRST:2}: can't, {FIRST:3} booked me for a call\n"
        "[{TIME}] {FIRST:1}: tomorrow then. tell {FIRST_LOWER:3} hi",
        "{FIRST:1}: what's the wifi password at {FIRST:2}'s?\n{FIRST:3}: no idea, ask {FIRST:2}\n"
        "{FIRST:1}: {FIRST:2}???\n{FIRST:2}: it's on the fridge lol",
        # -- e-mail ----------------------------------------------------------------------------------------
        "Hi {FIRST},\n\nThanks for sending over the contract. I've signed it and attached a scan.\n\n"
        "Best,\n{NAME}\n{JOB}, {COMPANY}",
        "Dear Ms. {TITLED_LAST:1},\n\nI am writing to follow up on our conversation of {DATE}. "
        "Please find my CV attached.\n\nKind regards,\n{NAME:2}\n{PHONE}\n{EMAIL}",
        "Hello team,\n\nPlease welcome {NAME:1}, who joins us on {WEEKDAY} as {JOB}. {FIRST:1} will sit "
        "with {FIRST:2} on the third floor.\n\nCheers,\n{FIRST:3}",
        "From: {NAME:1} <{EMAIL}>\nTo: {NAME:2}\nSubject: Re: keys\n\n"
        "{FIRST:2}, I left the keys with the concierge at {NUMBER_STREET}.\n- {FIRST:1}",
        "Hey {FIRST_LOWER:1}!\nlong time no see. we moved, new address:\n{ADDRESS_LINES}\ncome visit!\nxx {FIRST:2}",
        "Out of office: I am away until {DATE}. For urgent matters please contact {NAME} at {EMAIL} or {PHONE}.",
        "Dear Dr. {TITLED_LAST},\nI would like to move my appointment from {WEEKDAY} to next week if possible.\n"
        "Thank you,\n{NAME_INITIAL}",
        "Sorry {FIRST}, I cc'd the wrong person! Please ignore my previous email. {FIRST}",
        # -- HR and medical forms -----------------------------------------------------------------------
        "EMPLOYEE ONBOARDING FORM\nFull name: {NAME}\nDate of birth: {DATE_OF_BIRTH}\nSSN: {US_SSN}\n"
        "Home address: {ADDRESS}\nEmergency contact: {NAME} ({PHONE})",
        "Patient: {LAST_FIRST}\nDOB: {DATE_OF_BIRTH}\nReferring physician: Dr. {TITLED_LAST}\n"
        "Reason for visit: persistent cough since {MONTH}",
        "PATIENT INTAKE\nName: {NAME_UPPER}\nAddress:\n{ADDRESS_LINES}\nPhone: {PHONE}\nAllergies: penicillin",
        "Discharge summary: {NAME:1} was admitted on {DATE} with chest pain. {FIRST:1} was seen by "
        "Dr. {TITLED_LAST:2} and discharged in stable condition.",
        "Leave request - Employee: {NAME}, Manager: {NAME}, Dates: {DATE} to {DATE}, Reason: family event",
        "Performance review for {NAME_INITIAL:1}. {FIRST:1} exceeded targets in Q3 and mentored two new hires. "
        "Reviewer: {NAME:2}.",
        "Vaccination record\n{NAME_UPPER}   born {DATE_OF_BIRTH}\nDose 2 given {DATE} by nurse {FIRST}",
        "Payroll change: {NAME}, SSN {US_SSN}, new home address {ADDRESS}, effective {DATE}.",
        # -- bank and insurance ------------------------------------------------------------------------
        "Dear {NAME},\n\nYour new card has been sent to {ADDRESS}. If you did not request it, "
        "call us at {PHONE}.\n\n{COMPANY} Customer Care",
        "Account holder: {NAME}\nIBAN: {IBAN}\nStatement period: {MONTH}",
        "Claim no. {ORDER}\nPolicyholder: Mr. {TITLED_LAST:1}\nInsured property:\n{ADDRESS_LINES}\n"
        "Date of loss: {DATE}\nAdjuster: {NAME:2}",
        "We have received a payment of {AMOUNT} from {NAME_UPPER} to your account {IBAN}.",
        "Dear Mrs {TITLED_LAST},\nfollowing your call on {DATE} we have updated your billing address to:\n"
        "{ADDRESS_LINES}\nYours sincerely,\nClaims Department",
        "Beneficiary: {NAME} (daughter), date of birth {DATE_OF_BIRTH}, SSN {US_SSN}.",
        "Transfer {AMOUNT} to {NAME_LOWER}, card {CREDIT_CARD}, ref rent {MONTH}",
        # -- shipping and delivery ---------------------------------------------------------------------
        "SHIP TO:\n{NAME_UPPER}\n{ADDRESS_LINES}\nTEL {PHONE}\nORDER {ORDER}",
        "FROM: {NAME}, {ADDRESS}\nTO: {NAME}, {ADDRESS}\nWeight: {NUMBER} g",
        "Your parcel was left with your neighbour {FIRST} at {NUMBER_STREET}.",
        "Delivery note {ORDER}: 2 x {PRODUCT}. Received by: {NAME_INITIAL}. Signature: ________",
        "Driver note: leave at back door, {STREET}. Customer {FIRST} says the dog is friendly.",
        "Return address\n{NAME}\n{ADDRESS_LINES}",
        "Your {COMPANY} order is on its way to {NAME} at {ADDRESS} and should arrive {WEEKDAY}.",
        # -- hotel and travel ---------------------------------------------------------------------------
        "Booking confirmation {ORDER}\nGuest: {LAST_FIRST}\nCheck-in: {DATE}\nRoom: Deluxe King\n"
        "Card on file: {CREDIT_CARD}",
        "Dear {NAME}, thank you for choosing the Grand Harbour Hotel. Our shuttle will pick you up at {TIME} "
        "from {ADDRESS}.",
        "Guest {NAME_UPPER} (room {NUMBER}) asked for a late checkout. Approved by {FIRST}, front desk.",
        "BOARDING PASS  {NAME_UPPER}  SEAT 14C  GATE B{NUMBER}  {CITY}",
        # -- court, police and news ---------------------------------------------------------------------
        "{NAME:1}, of {STREET}, was charged with burglary on {WEEKDAY}. Police say {LAST:1} was arrested "
        "near the {COMPANY} warehouse.",
        "A judge sentenced {NAME:1} to three years in prison. {LAST:1}'s lawyer, {NAME:2}, said they would appeal.",
        "Police are searching for {NAME}, last seen on {WEEKDAY} evening near {ADDRESS}. "
        "Anyone with information should call {PHONE}.",
        "The jury heard that {NAME:1} met the victim, {NAME:2}, at a bar in {CITY}.",
        "In the witness statement, Officer {TITLED_LAST:1} wrote that {NAME_INITIAL:2} \"seemed confused\" and "
        "gave his address as {NUMBER_STREET}.",
        "{COMPANY} appoints {NAME} as chief executive, effective {MONTH}",
        "Mayor {NAME:1} opened the new library on {WEEKDAY}. \"It belongs to everyone,\" {LAST:1} said.",
        # -- obituaries ---------------------------------------------------------------------------------
        "{NAME:1}, 87, of {CITY}, passed away peacefully on {DATE}. {FIRST:1} is survived by daughters {FIRST:2} "
        "and {FIRST:3} and by six grandchildren. A memorial will be held at {ADDRESS}.",
        "In loving memory of {NAME_UPPER}\n{DATE_OF_BIRTH} - {DATE}\nForever in our hearts",
        # -- sports -------------------------------------------------------------------------------------
        "{LAST:1} scored in the 89th minute as {CITY} beat the visitors 2-1. Coach {NAME:2} praised "
        "{LAST:1}'s composure.",
        "{NAME} wins the {CITY} Marathon in a course record",
        "Injury update: {NAME_INITIAL} (hamstring) is out until {MONTH}.",
        # -- reviews ------------------------------------------------------------------------------------
        "Five stars! {FIRST} at the front desk was super helpful and even recommended a great place to eat.",
        "Terrible service. Waited 40 min and the manager ({FIRST}?) just shrugged. Never again.",
        "Bought my {PRODUCT} here. Ask for {NAME}, he knows everything about it.",
        "Dr. {TITLED_LAST} and nurse {FIRST} were amazing during my surgery. Thank you!!",
        "our guide {FIRST_LOWER} was fun but the bus was late. 3/5",
        # -- support tickets and CRM -------------------------------------------------------------------
        "Ticket {ORDER} | Reporter: {NAME} ({EMAIL}) | Login fails from {IP_ADDRESS} since {WEEKDAY}.",
        "Customer {NAME:1} called about a double charge on card {CREDIT_CARD}. Escalated to {FIRST:2} in billing.",
        "Please update my shipping address to {ADDRESS}. Account: {EMAIL}. Thanks, {FIRST}",
        "User reports that the profile page {URL} shows someone else's name ({NAME}).",
        "Call with {NAME:1} ({JOB} at {COMPANY}). {FIRST:1} wants a demo in {MONTH}; follow up on {PHONE}.",
        "Met {NAME_INITIAL:1} at the {CITY} trade fair. Interested in bulk pricing. Assistant: {FIRST:2}.",
        "Lead: {LAST_FIRST}\nCompany: {COMPANY}\nEmail: {EMAIL}\nWebsite: {URL}\nNotes: referred by {NAME}",
        # -- CVs -----------------------------------------------------------------------------------------
        "{NAME_UPPER}\n{ADDRESS}\n{PHONE} | {EMAIL} | {URL}\n\nEXPERIENCE\n{JOB}, {COMPANY} (2019-present)",
        "References available on request: {NAME} ({JOB}, {COMPANY}) and {NAME} ({COMPANY}).",
        "Curriculum Vitae\nName: {NAME}\nDate of birth: {DATE_OF_BIRTH}\nAddress: {NUMBER_STREET}\n"
        "Languages: English, Spanish",
        # -- invitations --------------------------------------------------------------------------------
        "You're invited!\n{FIRST:1} & {FIRST:2} are getting married\n{DATE} at {TIME}\n{ADDRESS_LINES}\n"
        "RSVP to {FIRST:1} at {PHONE}",
        "Join us for {FIRST}'s 40th birthday! {WEEKDAY}, {TIME}, {ADDRESS}. Bring a bottle!",
        "Mr. and Mrs. {TITLED_LAST:1} request the pleasure of your company at the christening of their son "
        "{FIRST:1}.",
        # -- tweets -------------------------------------------------------------------------------------
        "Just met {NAME} at the airport and she was SO nice 😭 #fangirl",
        "shoutout to {FIRST_LOWER} for fixing my laptop at 2am, legend",
        "can't believe {NAME} unfollowed me lmao",
        "RT if you think {NAME} deserved the award more than anyone",
        # -- legal ---------------------------------------------------------------------------------------
        "I, {NAME:1}, residing at {ADDRESS}, declare under penalty of perjury that the foregoing is true and "
        "correct. Signed on {DATE}.\n\n_____________\n{NAME_UPPER:1}",
        "THIS AGREEMENT is made on {DATE} between {NAME} (\"Landlord\") and {NAME} (\"Tenant\") for the premises "
        "at {ADDRESS}.",
        "Witness: {NAME_INITIAL}\nNotary public: {NAME}\nSSN of affiant: {US_SSN}",
        # -- notices, lists and the rest ----------------------------------------------------------------
        "Lost dog! Answers to Biscuit. Last seen near {STREET}. Call {FIRST} on {PHONE}.",
        "Parent-teacher meeting: {FIRST:1}'s mother, Mrs. {TITLED_LAST:1}, asked about the {MONTH} trip.",
        "Class list: {NAME}, {NAME}, {NAME_INITIAL}, {NAME}",
        "Charming 3-bed house for sale at {ADDRESS}. Viewings on {WEEKDAY}s; contact agent {NAME}.",
        "Meter reading for {NUMBER_STREET}: 04512 kWh, taken by {FIRST} on {DATE}.",
        "Minutes of {DATE}\nPresent: {NAME:1}, {NAME:2}, {NAME_INITIAL:3}\nApologies: {NAME:4}\n"
        "1. {FIRST:1} presented the budget. {FIRST:2} asked about travel costs.",
        "Rent receipt: received {AMOUNT} from {NAME_LOWER} for the flat at {STREET}.",
        "Login alert: new sign-in to {EMAIL} from {IP_ADDRESS}. Not you? Visit {URL}.",
        "Card {CREDIT_CARD} was declined at {COMPANY} on {DATE}. If this was you, ignore this message.",
        # -- hard negatives: no person, no address ------------------------------------------------------
        "Wall Street closed higher on {WEEKDAY} as {COMPANY} shares rallied.",
        "Downing Street declined to comment on the {MONTH} figures.",
        "Will the {PRODUCT} be back in stock before Christmas?",
        "Will {COMPANY} ship to {COUNTRY}?",
        "Why is the {PRODUCT} so expensive in {COUNTRY}?",
        "Bill payment due {DATE}. Amount: {AMOUNT}.",
        "Grace period ends on {DATE}; after that a late fee of {AMOUNT} applies.",
        "We're closed on Thanksgiving and Boxing Day. Regular hours resume {WEEKDAY}.",
        "May sales were up {NUMBER}% on April in {COUNTRY}.",
        "Flights from {CITY} to {CITY} are cheapest in June and August.",
        "Reading Pride and Prejudice for book club this {WEEKDAY}, then Great Expectations in {MONTH}.",
        "The {COMPANY} office in {CITY} will be closed for Labor Day.",
        "It's a win for Main Street, not just Wall Street, the {COUNTRY} finance ministry said.",
        "Sesame Street turns {NUMBER} this year and {COMPANY} is throwing a party.",
        "Listening to Abbey Road on vinyl while it rains in {CITY}.",
        "Order {ORDER} ({PRODUCT}) ships {WEEKDAY} from our {CITY} warehouse.",
        "Mark your calendars: the {CITY} Jazz Festival returns in {MONTH}!",
        "Frank talks at the {COMPANY} board meeting about the {COUNTRY} expansion.",
        "Rich chocolate cake, Amber ale and Ruby port: the {MONTH} menu at our {CITY} bistro.",
        "Hope to see you all at the Christmas market on {WEEKDAY}!",
        "Joy and Faith are the themes of this year's Easter service in {CITY}.",
        "Rented a Ford Focus in {CITY}; the {PRODUCT} kept the kids quiet the whole way.",
        "got a Big Mac at McDonald's and ordered a {PRODUCT} on Amazon. peak {WEEKDAY}",
        "Temperatures in {CITY} will reach 30 degrees on {WEEKDAY}, the {COUNTRY} weather service said.",
        "Netflix, Spotify and Disney+ all raised prices in {COUNTRY} this {MONTH}.",
        "Victoria Station to {CITY}: trains delayed by {NUMBER} minutes.",
        "Will you sign the petition? Bill 42 goes to a vote on {WEEKDAY}.",
        "Amazing Grace was sung at the {CITY} cathedral on Easter Sunday.",
        "Black Friday deals: {PRODUCT} for {AMOUNT} at {COMPANY}.",
        "Meeting moved to {WEEKDAY} {TIME}, Room Oxford, 3rd floor.",
        "{COMPANY} v. {COMPANY}: the Supreme Court ruled on {WEEKDAY} that the patent was invalid.",
        "Sorry, we're out of Earl Grey. Try the English Breakfast or the Darjeeling.",
        "Me: are u home?\nMom: yes\nMe: can u check if my {PRODUCT} is on my desk\nMom: it is. Dinner at 7\nMe: ok",
        "Customer: Hi, is the {PRODUCT} available in {CITY}?\nAgent: Yes, our {CITY} store has it.\n"
        "Customer: Great, thanks!",
        "The {COUNTRY} national team lands in {CITY} on {DATE} for the World Cup qualifier.",
        "St. Patrick's Day parade draws thousands to downtown {CITY}",
    ],
    "zh": [
        # -- 聊天 --------------------------------------------------------------------------------------------
        "{NAME:1}：你到了吗？\n{NAME:2}：还在地铁上，十分钟\n{NAME:1}：好的，我在出口等你",
        "{FIRST:1}：周末去爬山吗？\n{FIRST:2}：好啊，叫上{NAME:3}\n{FIRST:1}：@{FIRST:2} 你开车？\n{FIRST:2}：行",
        "{FIRST}你明天几点下班？",
        "刚才{NAME}问我{NAME}的电话是多少，我说不知道。",
        "{NAME}和{NAME}昨天在{CITY}结婚了，恭喜恭喜！",
        "妈，我今晚住{FIRST}家，不回来吃饭了",
        "{LAST}经理，合同我已经发到您邮箱{EMAIL}了，请查收。",
        "你把{FIRST}的新地址发我一下\n好的：{ADDRESS}",
        "{NAME}给{NAME}打了三个电话都没人接",
        # -- 快递单 ------------------------------------------------------------------------------------------
        "收件人：{NAME}\n电话：{PHONE}\n地址：{ADDRESS}\n备注：放门卫处",
        "寄件人：{NAME} {PHONE}\n寄件地址：{ADDRESS}\n收件人：{NAME}\n收件地址：{ADDRESS}",
        "您的快递已放在{STREET}的快递柜，请凭取件码{NUMBER}取件。",
        "外卖地址：{ADDRESS}，{NAME}收，电话{PHONE}",
        # -- 表格 --------------------------------------------------------------------------------------------
        "姓名：{NAME}\n出生日期：{DATE_OF_BIRTH}\n身份证地址：{ADDRESS}\n联系电话：{PHONE}\n邮箱：{EMAIL}",
        "入职登记表\n员工姓名：{NAME}  部门：市场部\n紧急联系人：{NAME}（母亲）{PHONE}",
        "病历\n患者：{NAME}，性别：女\n主治医生：{LAST}医生\n诊断：上呼吸道感染",
        "会议纪要（{DATE}）\n参会人：{NAME}、{NAME}、{NAME}\n记录人：{NAME}",
        "请将货款汇至以下账户：户名 {NAME}，卡号 {CREDIT_CARD}。",
        # -- 新闻 --------------------------------------------------------------------------------------------
        "据{CITY}警方通报，犯罪嫌疑人{NAME}已于{DATE}被抓获。",
        "{NAME:1}在第89分钟破门，赛后主教练{NAME:2}对{NAME:1}的表现给予高度评价。",
        "{COMPANY}董事长{NAME}今日宣布公司将在{CITY}设立研发中心。",
        "{NAME}、{NAME}和{NAME}三位同学获得了本届数学竞赛一等奖。",
        # -- 邮件 --------------------------------------------------------------------------------------------
        "{LAST}老师您好：\n附件是我的作业，请查收。\n学生 {NAME}\n{DATE}",
        "尊敬的{NAME}先生：\n您的信用卡（{CREDIT_CARD}）本期账单金额为{AMOUNT}，请于{DATE}前还款。",
        "各位同事：\n{NAME:1}将于下周一正式加入我们团队，担任产品经理。欢迎{FIRST:1}！\n人力资源部 {NAME:2}",
        "登录提醒：您的账号{EMAIL}在新设备（IP {IP_ADDRESS}）上登录，如非本人操作请访问{URL}。",
        # -- 难负例：没有人名，也没有地址 --------------------------------------------------------------------
        "{COMPANY}今年第三季度营收同比增长{NUMBER}%。",
        "五一假期{CITY}各大景点游客爆满。",
        "下周三{CITY}将迎来强降雨，请市民注意出行安全。",
        "新款{PRODUCT}在{COUNTRY}的售价为{AMOUNT}。",
        "推荐两本书：《红楼梦》和《平凡的世界》。",
        "华尔街股市周五收涨，{COMPANY}领涨。",
        "春节快到了，{COMPANY}给每位员工发了红包。",
        "这款{PRODUCT}性价比很高，物流也很快，五星好评！",
        "订单{ORDER}已发货，预计{DATE}送达。",
        "周末去王府井逛街吗？",
        "这个假期我们去黄山看日出，坐高铁去{CITY}只要两个小时。",
        "别急，我马上到！",
    ],
    "de": [
        "Hallo {FIRST:1},\nkannst du mir bitte bis Freitag die Unterlagen schicken?\nViele Grüße\n{NAME:2}",
        "Empfänger:\n{NAME_UPPER}\n{ADDRESS_LINES}",
        "Sehr geehrte Frau {TITLED_LAST},\nIhre Bestellung {ORDER} wurde an {ADDRESS} versandt.\n"
        "Mit freundlichen Grüßen\nIhr {COMPANY}-Team",
        "{FIRST:1}: bist du schon da?\n{FIRST:2}: gleich, stehe im Stau\n{FIRST:1}: ok, sag {FIRST:3} Bescheid",
        "Der Angeklagte {NAME:1} wurde am Dienstag in {CITY} verurteilt. Sein Anwalt {NAME:2} kündigte "
        "Berufung an.",
        "Name: {NAME}, geboren am {DATE_OF_BIRTH}, wohnhaft {ADDRESS}, Telefon {PHONE}",
        "Wo ist {FIRST}? Sie wollte doch um {TIME} hier sein.",
        "Die Frankfurter Börse schloss am Montag im Plus, {COMPANY} legte deutlich zu.",
        "Frohe Ostern aus {CITY}! Im Mai geht es weiter nach {COUNTRY}.",
    ],
    "fr": [
        "Bonjour {FIRST:1},\nmerci pour ton message. On se voit samedi ?\nBises,\n{FIRST:2}",
        "Madame {TITLED_LAST}, votre colis sera livré au {ADDRESS} entre 9h et 13h.",
        "Destinataire : {NAME}\nAdresse :\n{ADDRESS_LINES}\nTél. : {PHONE}",
        "{FIRST:1} : t'es où ?\n{FIRST:2} : chez {FIRST:3}, tu viens ?\n{FIRST:1} : j'arrive",
        "{NAME}, 34 ans, a été interpellé jeudi à {CITY}, selon la police.",
        "Je soussigné(e) {NAME}, né(e) le {DATE_OF_BIRTH}, demeurant {ADDRESS}, certifie sur l'honneur "
        "l'exactitude des informations ci-dessus.",
        "Pourquoi {FIRST} ne répond pas au téléphone ?",
        "Les soldes d'été commencent en juin chez {COMPANY} à {CITY}.",
        "La Bourse de Paris a fini en hausse vendredi, portée par {COMPANY}.",
    ],
    "es": [
        "Hola {FIRST}, ¿quedamos el sábado en el café de siempre?",
        "Estimado Sr. {TITLED_LAST:1}:\nLe confirmamos que su pedido {ORDER} será enviado a {ADDRESS}.\n"
        "Atentamente,\n{NAME:2}",
        "{FIRST:1}: ¿ya llegaste?\n{FIRST:2}: sí, estoy con {FIRST:3} en la entrada\n{FIRST:1}: voy para allá",
        "Datos del paciente\nNombre: {NAME}\nFecha de nacimiento: {DATE_OF_BIRTH}\nDomicilio: {ADDRESS}\n"
        "Teléfono: {PHONE}",
        "La policía detuvo a {NAME:1} en {CITY}. Según su abogado, {NAME:2}, {LAST:1} es inocente.",
        "Enviar a:\n{NAME_UPPER}\n{ADDRESS_LINES}",
        "¿Por qué {FIRST} no vino a la reunión?",
        "{COMPANY} abrirá una nueva tienda en {CITY} antes de Navidad.",
        "¡Feliz Semana Santa desde {COUNTRY}! Volvemos en mayo.",
    ],
    "it": [
        "Ciao {FIRST}, ci vediamo sabato da {FIRST}?",
        "Gentile Sig.ra {TITLED_LAST:1},\nla sua pratica n. {ORDER} è stata approvata.\nCordiali saluti,\n{NAME:2}",
        "{FIRST:1}: dove sei?\n{FIRST:2}: in ufficio, arrivo tra poco\n{FIRST:1}: ok, dillo anche a {FIRST:3}",
        "Destinatario: {NAME}\nIndirizzo: {ADDRESS}\nCellulare: {PHONE}",
        "Il sottoscritto {NAME}, nato il {DATE_OF_BIRTH} e residente in {ADDRESS}, dichiara quanto segue.",
        "{NAME:1} ha segnato il gol della vittoria; l'allenatore {NAME:2} ha elogiato {LAST:1}.",
        "Piazza Affari chiude in rialzo grazie a {COMPANY}.",
        "Buona Pasqua da tutto lo staff di {COMPANY} a {CITY}!",
    ],
    "pt": [
        "Oi {FIRST}, tudo bem? Você vem amanhã?",
        "Prezado Sr. {TITLED_LAST},\nseu pedido {ORDER} foi entregue em {ADDRESS}.\nAtenciosamente,\n{COMPANY}",
        "{FIRST:1}: cadê você?\n{FIRST:2}: no trânsito, {FIRST:3} tá comigo\n{FIRST:1}: beleza",
        "Nome: {NAME}\nData de nascimento: {DATE_OF_BIRTH}\nEndereço: {ADDRESS}\nE-mail: {EMAIL}",
        "Destinatário:\n{NAME_UPPER}\n{ADDRESS_LINES}",
        "A polícia prendeu {NAME} na madrugada de sábado em {CITY}.",
        "O Carnaval de {CITY} atraiu milhões de turistas em fevereiro.",
        "A {COMPANY} anunciou lucro recorde no Brasil e em {COUNTRY}.",
    ],
    "nl": [
        "Hoi {FIRST}, kom je zaterdag ook naar het feest van {FIRST}?",
        "Geachte heer {TITLED_LAST:1},\nUw bestelling {ORDER} wordt bezorgd op {ADDRESS}.\n"
        "Met vriendelijke groet,\n{NAME:2}",
        "{FIRST:1}: ben je al thuis?\n{FIRST:2}: bijna, ik haal {FIRST:3} nog op\n{FIRST:1}: top",
        "Naam: {NAME}\nGeboortedatum: {DATE_OF_BIRTH}\nAdres: {ADDRESS}\nIBAN: {IBAN}",
        "Verzenden naar:\n{NAME}\n{ADDRESS_LINES}",
        "De politie heeft {NAME} aangehouden in {CITY}, meldt een woordvoerder.",
        "Koningsdag in {CITY} was weer een groot feest.",
        "{COMPANY} opent in mei een nieuwe winkel in {CITY}.",
    ],
}
