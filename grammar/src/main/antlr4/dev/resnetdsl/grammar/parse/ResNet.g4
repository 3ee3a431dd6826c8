// The .resnet language: a small, line-oriented description of a residual network that
// reads like Table 1 of the ResNet paper. See docs/language.md for the full reference.
//
// Statements end at a newline or ';'. Keywords are reserved only where a statement
// starts; elsewhere (model and stage names, option names) they are ordinary names.
//
// Lists are written `(sep | item | junk)*` rather than `item (sep+ item)*`: a line that
// does not start like an item is taken whole by the list's `...Junk` rule, so the parser
// stays inside the braces and reports the errors of every line in one run. SpecParser
// reports each junk line, and two items on one line without a separator, with messages
// in the language's words.
grammar ResNet;

specFile
    : (sep | topLevel | topLevelJunk)* EOF
    ;

topLevelJunk
    : ~(NEWLINE | SEMI | IMPORT | MODEL) ~(NEWLINE | SEMI)*
    ;

topLevel
    : IMPORT STRING                                                  #importDecl
    | MODEL name (EXTENDS name)? LBRACE modelBody RBRACE             #modelDecl
    ;

modelBody
    : (sep | statement | statementJunk)*
    ;

statementJunk
    : ~(NEWLINE | SEMI | RBRACE | INPUT | CLASSES | STEM | BLOCK | SHORTCUT | STAGE | HEAD | INIT)
      ~(NEWLINE | SEMI | RBRACE)*
    ;

statement
    : INPUT DIMS                                                     #inputStatement
    | CLASSES INT                                                    #classesStatement
    | STEM LBRACE stemBody RBRACE                                    #stemStatement
    | BLOCK name option*                                             #blockStatement
    | SHORTCUT name                                                  #shortcutStatement
    | STAGE name INT REPEAT STRIDE?                                  #stageStatement
    | HEAD LBRACE headBody RBRACE                                    #headStatement
    | INIT option+                                                   #initStatement
    ;

stemBody
    : (sep | stemLayer | stemJunk)*
    ;

stemLayer
    : CONV DIMS INT STRIDE? padding?                                 #convLayer
    | MAXPOOL DIMS STRIDE? padding?                                  #maxPoolLayer
    ;

stemJunk
    : ~(NEWLINE | SEMI | RBRACE | CONV | MAXPOOL) ~(NEWLINE | SEMI | RBRACE)*
    ;

padding
    : PAD INT
    ;

headBody
    : (sep | headLayer | headJunk)*
    ;

headJunk
    : ~(NEWLINE | SEMI | RBRACE | AVGPOOL | FC) ~(NEWLINE | SEMI | RBRACE)*
    ;

headLayer
    : AVGPOOL                                                        #avgPoolLayer
    | FC CLASSES                                                     #fcClassesLayer
    | FC INT                                                         #fcCountLayer
    ;

// `groups 32`, `stride_on 3x3`, `seed 0`, or a flag such as `zero_last_bn`.
option
    : name optionValue?
    ;

optionValue
    : INT                                                            #intValue
    | DIMS                                                           #dimsValue
    ;

sep
    : NEWLINE                                                        #newlineSeparator
    | SEMI                                                           #semicolonSeparator
    ;

// Any word, keywords included: `stage stem 64 x1` names a stage "stem".
name
    : IDENT                                                          #plainName
    | keyword                                                        #keywordName
    ;

keyword
    : (IMPORT | MODEL | EXTENDS | INPUT | CLASSES | STEM | CONV | MAXPOOL | PAD
      | BLOCK | SHORTCUT | STAGE | HEAD | AVGPOOL | FC | INIT)
    ;

IMPORT   : 'import';
MODEL    : 'model';
EXTENDS  : 'extends';
INPUT    : 'input';
CLASSES  : 'classes';
STEM     : 'stem';
CONV     : 'conv';
MAXPOOL  : 'maxpool';
PAD      : 'pad';
BLOCK    : 'block';
SHORTCUT : 'shortcut';
STAGE    : 'stage';
HEAD     : 'head';
AVGPOOL  : 'avgpool';
FC       : 'fc';
INIT     : 'init';

LBRACE   : '{';
RBRACE   : '}';
SEMI     : ';';

// 3x224x224 (an input shape) or 7x7 (a kernel).
DIMS     : DIGITS ('x' DIGITS)+;
// x3: three blocks. Listed before IDENT, so `x3` is never a name.
REPEAT   : 'x' DIGITS;
// /2: stride two.
STRIDE   : '/' DIGITS;
INT      : DIGITS;
IDENT    : [A-Za-z_] [A-Za-z0-9_]*;
STRING   : '"' ~["\r\n]* '"';

COMMENT  : '#' ~[\r\n]* -> channel(HIDDEN);
NEWLINE  : '\r'? '\n' | '\r';
WS       : [ \t\f\uFEFF]+ -> channel(HIDDEN);  // a byte-order mark is blank too

// Anything else is a positioned syntax error in the parser instead of a lexer failure.
ERROR_CHAR : .;

fragment DIGITS : [0-9]+;
